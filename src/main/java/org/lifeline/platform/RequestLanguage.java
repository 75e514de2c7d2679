package org.lifeline.platform;

/**
 * A request attribute holding the {@link java.util.Locale} a page is to be written in, set by a module that knows
 * better than the path or the browser (the console: the signed-in operator's language). The application's one
 * locale resolver honours it first.
 */
public final class RequestLanguage {

    public static final String ATTRIBUTE = RequestLanguage.class.getName();

    private RequestLanguage() {
    }
}
