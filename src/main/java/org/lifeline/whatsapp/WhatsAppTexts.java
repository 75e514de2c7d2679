package org.lifeline.whatsapp;

import java.util.Map;

/**
 * The few words the WhatsApp channel adds itself: WhatsApp has no button that asks for a location, and a list needs
 * a label on the button that opens it (at most 20 characters).
 */
final class WhatsAppTexts {

    private WhatsAppTexts() {
    }

    private static final Map<String, String> LOCATION = Map.of(
            "en", "To send your location: tap 📎 (Attach) → Location → Send your current location. Or type the coordinates or a grid reference.",
            "ru", "Чтобы отправить местоположение: нажмите 📎 (Прикрепить) → Местоположение → Отправить моё текущее местоположение. Или напишите координаты или квадрат.",
            "uk", "Щоб надіслати місцезнаходження: натисніть 📎 (Прикріпити) → Місцезнаходження → Надіслати моє поточне місцезнаходження. Або напишіть координати чи квадрат.",
            "ko", "위치를 보내려면: 📎(첨부) → 위치 → 현재 위치 보내기를 누르십시오. 또는 좌표나 구획좌표를 써서 보내십시오.");

    private static final Map<String, String> LIST_BUTTON = Map.of(
            "en", "Choose",
            "ru", "Выбрать",
            "uk", "Вибрати",
            "ko", "선택");

    static String locationInstructions(String language) {
        return LOCATION.getOrDefault(language, LOCATION.get("en"));
    }

    static String listButton(String language) {
        return LIST_BUTTON.getOrDefault(language, LIST_BUTTON.get("en"));
    }
}
