/**
 * Cases: surrender requests and family inquiries, each with a short reference the requester can quote, its own data
 * key for the details and notes, a version for concurrent operators and the full history of its transitions.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "conversations"})
package org.lifeline.cases;
