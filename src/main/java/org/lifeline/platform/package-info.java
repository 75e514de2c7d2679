/**
 * What every module may use: the data directory, the clock, JDBC helpers, the command-line plumbing and the start-up
 * guards.
 * Shared by all modules, depends on none.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
package org.lifeline.platform;
