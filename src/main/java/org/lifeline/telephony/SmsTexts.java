package org.lifeline.telephony;

import java.util.Map;

/** The few words SMS adds itself: a text message cannot share a location, so the question says how to write it. */
final class SmsTexts {

    private SmsTexts() {
    }

    /**
     * The flows' own example: a point in the open Black Sea where nobody can be waiting, which the flow refuses when
     * it is sent back ({@code invalid.location.example}) instead of taking it for his position. Repeated here because
     * this module does not depend on the flows; {@code SmsSurrenderFlowIntegrationTests} checks it is refused.
     */
    static final String EXAMPLE = "43.1234, 33.5678";

    private static final Map<String, String> LOCATION = Map.of(
            "en", "Reply with your coordinates or a grid reference, for example " + EXAMPLE
                    + " (this example is in the sea: send your own).",
            "ru", "Ответьте координатами или квадратом, например " + EXAMPLE + " (этот пример посреди моря: пришлите свои).",
            "uk", "Відповідайте координатами або квадратом, наприклад " + EXAMPLE
                    + " (цей приклад посеред моря: надішліть свої).",
            "ko", "좌표나 구획좌표로 대답하십시오. 례: " + EXAMPLE + " (이 례는 바다 한가운데입니다: 자기 좌표를 보내십시오).");

    static String locationInstructions(String language) {
        return LOCATION.getOrDefault(language, LOCATION.get("en"));
    }
}
