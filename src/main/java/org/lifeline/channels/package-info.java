/**
 * Channels: the queue core every way in goes through. Inbound updates are stored durably before they are
 * acknowledged and processed in order per sender; outbound messages go through a durable outbox that a dispatcher
 * sends under each channel's limits. Its root package is all an adapter module ({@code telegram}, {@code webchat},
 * {@code whatsapp}, {@code telephony}) needs: the SPI ({@link org.lifeline.channels.ChannelAdapter}), the intake
 * ({@link org.lifeline.channels.ChannelIntake}), outbound content and its parts, delivery results, HTTP to a
 * channel's API, endpoint leases and the day's transit key. The queue itself stays in {@code internal}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "conversations", "campaigns"})
package org.lifeline.channels;
