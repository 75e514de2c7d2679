package org.lifeline.site;

/**
 * The Content-Security-Policy, defined here once for every response: nothing but our own stylesheet and images may
 * load, forms post only to us, no framing, no {@code <base>}. Its variants only add to that: first-party scripts for
 * the pages that run one ({@link ScriptedPages}), audio for the console's voice notes; a requester's file opened on
 * its own gets the one sandboxed policy.
 */
public final class ContentSecurityPolicy {

    private static final String NOTHING = "default-src 'none'";
    private static final String OWN_STYLES = "style-src 'self'";
    private static final String OWN_IMAGES = "img-src 'self'";
    private static final String OWN_MEDIA = "media-src 'self'";
    private static final String OWN_FORMS = "form-action 'self'";
    private static final String NO_FRAMING = "frame-ancestors 'none'";
    private static final String NO_BASE = "base-uri 'none'";
    private static final String OWN_SCRIPTS = "script-src 'self'; connect-src 'self'";

    /** Every page without a script. */
    public static final String PAGES = page(true, false, false);
    /** A page that runs a first-party script (never an inline one). */
    public static final String SCRIPTED_PAGES = page(true, false, true);
    /** A scripted page that also plays first-party audio (the console, for requesters' voice notes). */
    public static final String SCRIPTED_PAGES_WITH_MEDIA = page(true, true, true);
    /** For a static mirror's pages, as a meta element, which cannot say {@code frame-ancestors}. */
    public static final String MIRROR_META = page(false, false, false);
    /** A requester's file opened on its own: an image or audio and nothing else, sandboxed. */
    public static final String FILE = String.join("; ", NOTHING, OWN_IMAGES, OWN_MEDIA, "sandbox");

    private ContentSecurityPolicy() {
    }

    private static String page(boolean framingDirective, boolean media, boolean scripts) {
        var policy = new StringBuilder(String.join("; ", NOTHING, OWN_STYLES, OWN_IMAGES));
        if (media) {
            policy.append("; ").append(OWN_MEDIA);
        }
        policy.append("; ").append(OWN_FORMS);
        if (framingDirective) {
            policy.append("; ").append(NO_FRAMING);
        }
        policy.append("; ").append(NO_BASE);
        if (scripts) {
            policy.append("; ").append(OWN_SCRIPTS);
        }
        return policy.toString();
    }
}
