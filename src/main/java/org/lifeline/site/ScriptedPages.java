package org.lifeline.site;

import java.util.List;

/**
 * Request paths whose pages run a first-party script, such as the web chat's live updates. Everywhere else the
 * {@link ContentSecurityPolicy} forbids scripts; for these paths it adds {@code script-src 'self'} and
 * {@code connect-src 'self'} (never inline script), and with {@code media} also {@code media-src 'self'}. A module
 * declares a bean of this type; the site's filter sets the policy on every response.
 *
 * @param pathPatterns Spring path patterns, e.g. {@code /*}{@code /chat/**}
 * @param media        whether these pages also play first-party audio or video
 */
public record ScriptedPages(List<String> pathPatterns, boolean media) {

    public ScriptedPages {
        pathPatterns = List.copyOf(pathPatterns);
    }

    public ScriptedPages(List<String> pathPatterns) {
        this(pathPatterns, false);
    }
}
