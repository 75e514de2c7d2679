/**
 * Channels: every way a requester reaches Lifeline (Telegram, web chat, WhatsApp, phone, SMS), as adapters behind
 * one SPI. Inbound updates are stored durably before they are acknowledged and processed in order per sender;
 * outbound messages go through a durable outbox that a dispatcher sends under each channel's limits.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "conversations"})
package org.lifeline.channels;
