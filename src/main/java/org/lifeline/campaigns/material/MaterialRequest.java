package org.lifeline.campaigns.material;

import java.util.Objects;

/**
 * What one piece of campaign material shows.
 *
 * @param language the campaign's language ({@code ru}, {@code ko}, {@code uk}, {@code en}): the instructions' language
 * @param entryLink the campaign's entry point, encoded in the QR code exactly as given
 * @param phoneNumber the hotline number as people should dial it, or null for material without one
 * @param botName the Telegram bot's name as people should type it ({@code @example_bot})
 * @param serviceName the service's name in the campaign's language ({@code lifeline.service-name.<lang>})
 * @param signingKeyFingerprint the fingerprint of the key that signs the channel list
 *        ({@code org.lifeline.site.ChannelList#fingerprint()}), printed on the leaflet
 */
public record MaterialRequest(String language, String entryLink, String phoneNumber, String botName, String serviceName,
                              String signingKeyFingerprint) {

    public MaterialRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(entryLink, "entryLink");
        Objects.requireNonNull(botName, "botName");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(signingKeyFingerprint, "signingKeyFingerprint");
        if (entryLink.isBlank()) {
            throw new IllegalArgumentException("entryLink is empty: there would be nothing to scan");
        }
        phoneNumber = phoneNumber == null || phoneNumber.isBlank() ? null : phoneNumber.strip();
    }
}
