package org.lifeline.flows.engine;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Placeholders in translated texts: {@code {name}}, filled from answers, the engine or the host. */
final class Templates {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_.]*)}");

    private Templates() {
    }

    /** Replaces the placeholders that {@code values} knows and leaves the others for the host. */
    static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        var out = new StringBuilder();
        while (matcher.find()) {
            var value = values.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        return matcher.appendTail(out).toString();
    }

    static Set<String> placeholders(String template) {
        var names = new TreeSet<String>();
        PLACEHOLDER.matcher(template).results().forEach(result -> names.add(result.group(1)));
        return names;
    }
}
