/**
 * The Telegram channel: bots by webhook ({@code web}) or long polling, the Bot API client, and the
 * {@code telegram set-webhook} command. An adapter on the {@code channels} API only.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"channels", "platform"})
package org.lifeline.telegram;
