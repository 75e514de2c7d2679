/**
 * Channels: every way a requester reaches Lifeline (Telegram, web chat, WhatsApp, phone, SMS), as adapters behind
 * one SPI. Inbound updates are stored durably before they are acknowledged and processed in order per sender;
 * outbound messages go through a durable outbox that a dispatcher sends under each channel's limits. The web chat
 * ({@code webchat}) draws its pages in the public site's layout.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "conversations", "site"})
package org.lifeline.channels;
