package org.lifeline.flows.engine;

import java.util.List;
import java.util.Map;

/**
 * What to show the requester, channel-neutral: adapters render questions as buttons or numbered options.
 * {@code key} is the translation key the text came from. Texts may hold host placeholders such as
 * {@code {case_reference}}, which the host fills with {@link #fill} once it has carried out the effects.
 */
public sealed interface Output {

    String key();

    String text();

    Output fill(Map<String, String> values);

    record Text(String key, String text) implements Output {
        @Override
        public Text fill(Map<String, String> values) {
            return new Text(key, Templates.fill(text, values));
        }
    }

    /** Waits for an answer: one of the options, or, with no options (or only a skip option), typed text. */
    record Question(String key, String text, List<Option> options) implements Output {
        public Question {
            options = List.copyOf(options);
        }

        @Override
        public Question fill(Map<String, String> values) {
            // labels too: a button may name the service ("Is this bot really {service_name}?")
            return new Question(key, Templates.fill(text, values),
                    options.stream().map(o -> new Option(o.id(), Templates.fill(o.label(), values))).toList());
        }
    }

    /**
     * Asks for a location: adapters offer the channel's location sharing under {@code buttonLabel} (which says that
     * it sends the exact position); typed answers are accepted too.
     */
    record LocationRequest(String key, String text, String buttonLabel) implements Output {
        @Override
        public LocationRequest fill(Map<String, String> values) {
            return new LocationRequest(key, Templates.fill(text, values), buttonLabel);
        }
    }

    /** One option of a question: {@code id} is stable across languages and versions, {@code label} is shown. */
    record Option(String id, String label) {
    }
}
