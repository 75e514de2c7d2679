package org.lifeline.platform;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one name the service goes by, per language ({@code lifeline.service-name.<lang>}): canned replies, flows,
 * the site and the web chat all show this and nothing else, because a requester is taught to distrust a channel
 * whose name does not match the site's.
 *
 * @param serviceName the name in each language; {@code en} is used for a language without its own
 */
@ConfigurationProperties("lifeline")
public record ServiceName(@DefaultValue Map<String, String> serviceName) {

    public static final String FALLBACK_LANGUAGE = "en";
    /** The name when nothing is configured. */
    static final String DEFAULT = "Lifeline";

    public ServiceName {
        serviceName = new TreeMap<>(serviceName == null ? Map.of() : serviceName);
    }

    /** The service's name in a language (a code such as {@code ru}, or a locale tag such as {@code ru-RU}). */
    public String in(String language) {
        var code = language == null ? FALLBACK_LANGUAGE : language.toLowerCase(Locale.ROOT).split("[-_]")[0];
        var name = serviceName.get(code);
        if (name == null || name.isBlank()) {
            name = serviceName.get(FALLBACK_LANGUAGE);
        }
        return name == null || name.isBlank() ? DEFAULT : name.strip();
    }
}
