/**
 * The phone line and SMS, through a provider that speaks Twilio's webhook dialect ({@code web}): calls are put
 * through to the operators on duty, SMS is a channel like any other. An adapter on the {@code channels} API only;
 * it implements {@link org.lifeline.channels.PhoneLine} for the console.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"channels", "platform", "conversations", "operators"})
package org.lifeline.telephony;
