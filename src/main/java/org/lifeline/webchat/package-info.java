/**
 * The web chat: a channel served as pages of the public site ({@code web}, drawn in the site's layout), with its own
 * sessions, proof-of-work challenges, codenames and flood limits. An adapter on the {@code channels} API only.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"channels", "platform", "privacy", "conversations", "site"})
package org.lifeline.webchat;
