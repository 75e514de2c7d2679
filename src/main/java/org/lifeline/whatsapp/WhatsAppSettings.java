package org.lifeline.whatsapp;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeline.whatsapp.*}: one business phone number on the WhatsApp Cloud API. Without a phone number id the
 * channel is off (its webhook answers 404).
 *
 * @param graphUrl the Graph API base URL (tests point it at a local fake)
 * @param apiVersion the Graph API version in every path, such as {@code v21.0}
 * @param phoneNumberId the business number's id (not the number itself); the channel's endpoint
 * @param accessToken a system user's token with {@code whatsapp_business_messaging} (from a secret store)
 * @param appSecret the Meta app's secret, which signs every webhook delivery ({@code X-Hub-Signature-256})
 * @param verifyToken what Meta sends back in the webhook verification handshake
 * @param defaultLanguage the language of a new contact whose first message is in no script we recognise
 * @param templates approved message templates by conversation language, sent outside the 24-hour window
 * @param perNumberPerSecond messages a second from the number (Cloud API: 80 by default, more on request)
 * @param perRecipientPerSecond messages a second to one person (the pair rate limit; bursts are allowed by Meta)
 * @param inboundPerSenderPerMinute messages one sender may send before the rest are stored as counted drops
 * @param serviceWindow how long after his last message free-form messages may be sent (Meta: 24 hours)
 */
@ConfigurationProperties("lifeline.whatsapp")
public record WhatsAppSettings(
        @DefaultValue("https://graph.facebook.com") URI graphUrl,
        @DefaultValue("v21.0") String apiVersion,
        String phoneNumberId,
        String accessToken,
        String appSecret,
        String verifyToken,
        @DefaultValue("en") String defaultLanguage,
        @DefaultValue Map<String, Template> templates,
        @DefaultValue("80") double perNumberPerSecond,
        @DefaultValue("1") double perRecipientPerSecond,
        @DefaultValue("30") int inboundPerSenderPerMinute,
        @DefaultValue("24h") Duration serviceWindow) {

    public WhatsAppSettings {
        templates = Map.copyOf(templates);
        if (phoneNumberId != null && !phoneNumberId.isBlank()) {
            if (!phoneNumberId.matches("[0-9]{1,64}")) {
                throw new IllegalArgumentException("lifeline.whatsapp.phone-number-id must be the number's id (digits)");
            }
            for (var required : new String[][] {{"access-token", accessToken}, {"app-secret", appSecret},
                    {"verify-token", verifyToken}}) {
                if (required[1] == null || required[1].isBlank()) {
                    throw new IllegalArgumentException("lifeline.whatsapp." + required[0] + " is required with a phone-number-id");
                }
            }
            if (!apiVersion.matches("v[0-9]{1,3}\\.[0-9]{1,3}")) {
                throw new IllegalArgumentException("lifeline.whatsapp.api-version must look like v21.0");
            }
        }
        templates.forEach((language, template) -> {
            if (template == null || template.name() == null || !template.name().matches("[a-z0-9_]{1,512}")) {
                throw new IllegalArgumentException("lifeline.whatsapp.templates." + language
                        + ".name must be an approved template's name (a-z, 0-9, _)");
            }
        });
    }

    /**
     * An approved template: its name and the language code it was approved in ({@code ko}, {@code ru}, {@code en_US}).
     */
    public record Template(String name, String languageCode) {
    }

    public boolean enabled() {
        return phoneNumberId != null && !phoneNumberId.isBlank();
    }

    /** The template for a language, else the default language's. */
    Optional<Template> template(String language) {
        var chosen = language == null ? null : templates.get(language);
        return Optional.ofNullable(chosen != null ? chosen : templates.get(defaultLanguage));
    }

    @Override
    public String toString() {
        return "WhatsAppSettings[" + graphUrl + ", " + apiVersion + ", enabled=" + enabled() + "]";
    }
}
