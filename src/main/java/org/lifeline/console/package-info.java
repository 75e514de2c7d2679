/**
 * The operator console: the web pages operators, coordinators, supervisors and admins work in, under
 * {@code /console}. Its security configuration, sign-in pages, layout and navigation are in {@code web}; pages built
 * later (queue, case, coordinator view) go there too and use the layout {@code console/layout}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"operators", "platform", "cases", "cases :: lifecycle", "conversations", "channels", "site"})
package org.lifeline.console;
