/**
 * The operator console: the web pages operators, coordinators, supervisors and admins work in, under
 * {@code /console}. Its security configuration, sign-in pages, layout, navigation, queue, case page and coordinator
 * view are in {@code web}, all on the layout {@code console/layout}. It reads and changes cases and conversations
 * through their modules' APIs and replies through {@code channels}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"operators", "platform", "cases", "cases :: lifecycle", "conversations", "channels", "site"})
package org.lifeline.console;
