/**
 * The WhatsApp channel: the WhatsApp Cloud API by webhook ({@code web}), its 24-hour reply windows and delivery
 * reports. An adapter on the {@code channels} API only.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"channels", "platform", "privacy", "conversations"})
package org.lifeline.whatsapp;
