package org.lifeline.site;

import java.util.List;

/**
 * Request paths whose pages run a first-party script, such as the web chat's live updates. Everywhere else the
 * Content-Security-Policy forbids scripts; for these paths it adds {@code script-src 'self'} and
 * {@code connect-src 'self'} (never inline script). A module declares a bean of this type.
 *
 * @param pathPatterns Spring path patterns, e.g. {@code /*}{@code /chat/**}
 */
public record ScriptedPages(List<String> pathPatterns) {

    public ScriptedPages {
        pathPatterns = List.copyOf(pathPatterns);
    }
}
