package org.lifeline.campaigns.material;

import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The material's texts in one language, from {@code campaigns/material/messages_<lang>.properties}. A language
 * without its own file is refused rather than printed in another language: a Korean leaflet in English would reach
 * nobody it was made for.
 */
record MaterialTexts(List<String> instructions, String phoneLabel, String botLabel, String fingerprintLabel) {

    static final String BUNDLE = "campaigns.material.messages";

    static MaterialTexts of(MaterialRequest request) {
        ResourceBundle bundle;
        try {
            bundle = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(request.language()),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("No campaign material texts for language '" + request.language()
                    + "': add campaigns/material/messages_" + request.language() + ".properties", e);
        }
        if (!bundle.getLocale().getLanguage().equals(Locale.forLanguageTag(request.language()).getLanguage())) {
            throw new IllegalArgumentException("No campaign material texts for language '" + request.language() + "'");
        }
        var instructions = List.of("instruction.1", "instruction.2", "instruction.3").stream()
                .map(key -> bundle.getString(key).replace("{bot}", request.botName())).toList();
        return new MaterialTexts(instructions, bundle.getString("phone"), bundle.getString("bot"),
                bundle.getString("fingerprint"));
    }
}
