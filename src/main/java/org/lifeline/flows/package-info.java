/**
 * Conversation flows: the intake flows as YAML data ({@code classpath:flows/}, overridable from
 * {@code lifeline.flows.directory}), loaded and validated at start-up into a {@link org.lifeline.flows.FlowCatalog};
 * the framework-free engine that runs them is the {@code engine} named interface; {@code flows validate} and
 * {@code flows try} work on the command line without the application context. {@code FlowConversations} drives
 * every conversation that arrives through a channel, with sessions kept encrypted in the database.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "conversations", "cases", "cases :: lifecycle", "channels", "site"})
package org.lifeline.flows;
