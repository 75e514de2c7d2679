/**
 * The operator console: the web pages operators, coordinators, supervisors and admins work in, under
 * {@code /console}. Its security configuration, sign-in pages, layout, navigation, queue, case page, coordinator
 * view and reports are in {@code web}, all on the layout {@code console/layout}. It reads and changes cases and
 * conversations through their modules' APIs, replies through {@code channels}, writes every read and change to the
 * access record in {@code privacy} and tells {@code reporting} of each operator answer.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"operators", "platform", "privacy", "cases", "cases :: lifecycle", "conversations", "channels", "site", "campaigns", "reporting"})
package org.lifeline.console;
