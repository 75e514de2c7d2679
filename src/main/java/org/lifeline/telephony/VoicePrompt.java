package org.lifeline.telephony;

import java.util.List;
import java.util.Map;

/**
 * What the phone line says, in each of its languages: spoken with {@code <Say>}, or played from a recording when
 * {@code lifeline.telephony.audio.<lang>.<prompt>} names one. Keys are given as digits and named as callers know
 * them on a phone (star, hash). Korean is written in the North Korean norm with the flows' words (담당자 for the
 * operator, 손전화, 조선말), as everything a requester reads or hears.
 */
enum VoicePrompt {

    /** Offered in each language in its own words, the number's language first. */
    LANGUAGE("language", Map.of(
            "ru", "Для продолжения на русском языке нажмите 1.",
            "ko", "조선말로 계속하려면 2번을 누르십시오.",
            "uk", "Щоб продовжити українською, натисніть 3.",
            "en", "For English, press 4.")),
    MENU("menu", Map.of(
            "ru", "Чтобы поговорить с оператором, нажмите 1. Чтобы оставить сообщение, нажмите 2. "
                    + "Чтобы прослушать ещё раз, нажмите звёздочку. Чтобы выбрать другой язык, нажмите 0.",
            "ko", "담당자와 이야기하려면 1번을 누르십시오. 할 말을 록음하여 남기려면 2번을 누르십시오. "
                    + "다시 들으려면 별표를 누르십시오. 다른 언어를 고르려면 0번을 누르십시오.",
            "uk", "Щоб поговорити з оператором, натисніть 1. Щоб залишити повідомлення, натисніть 2. "
                    + "Щоб прослухати ще раз, натисніть зірочку. Щоб вибрати іншу мову, натисніть 0.",
            "en", "To speak to an operator, press 1. To leave a message, press 2. "
                    + "To hear this again, press star. To choose another language, press 0.")),
    HOLD("hold", Map.of(
            "ru", "Пожалуйста, оставайтесь на линии. Соединяем вас с оператором.",
            "ko", "끊지 말고 기다려주십시오. 담당자와 련결하고 있습니다.",
            "uk", "Будь ласка, залишайтеся на лінії. З'єднуємо вас з оператором.",
            "en", "Please stay on the line. We are connecting you to an operator.")),
    /** Spoken only (it carries his place in the queue): {@code {n}} is the number. */
    POSITION("position", Map.of(
            "ru", "Ваш номер в очереди: {n}.",
            "ko", "당신의 차례는 {n}번입니다.",
            "uk", "Ваш номер у черзі: {n}.",
            "en", "You are number {n} in the queue.")),
    QUEUE_OPTIONS("queue-options", Map.of(
            "ru", "Чтобы не ждать и оставить сообщение, нажмите 2.",
            "ko", "기다리지 않고 할 말을 록음하여 남기려면 2번을 누르십시오.",
            "uk", "Щоб не чекати й залишити повідомлення, натисніть 2.",
            "en", "To stop waiting and leave a message, press 2.")),
    NOBODY("nobody", Map.of(
            "ru", "Сейчас нет свободного оператора.",
            "ko", "지금은 련결할수 있는 담당자가 없습니다.",
            "uk", "Зараз немає вільного оператора.",
            "en", "No operator is free right now.")),
    VOICEMAIL("voicemail", Map.of(
            "ru", "Оставьте сообщение после сигнала. Когда закончите, нажмите решётку.",
            "ko", "신호음이 울린 다음 할 말을 하십시오. 다 하였으면 우물정자 단추를 누르십시오.",
            "uk", "Залиште повідомлення після сигналу. Коли закінчите, натисніть решітку.",
            "en", "Please leave a message after the tone. Press hash when you have finished.")),
    CALLBACK("callback", Map.of(
            "ru", "Спасибо, сообщение записано. Если нам можно перезвонить вам на этот номер, нажмите 1, если вы "
                    + "военнослужащий, или 2, если вы ищете родственника. Звонок может быть опасен, если телефон "
                    + "окажется в чужих руках: если звонить нельзя, просто положите трубку.",
            "ko", "감사합니다. 록음되였습니다. 이 번호로 우리가 다시 전화해도 되면, 군인은 1번, 가족을 찾는 사람은 "
                    + "2번을 누르십시오. 다른 사람이 당신의 손전화를 가지고 있으면 우리의 전화가 위험할수 있습니다. "
                    + "전화하지 말아야 한다면 그냥 끊으십시오.",
            "uk", "Дякуємо, повідомлення записано. Якщо вам можна передзвонити на цей номер, натисніть 1, якщо ви "
                    + "військовослужбовець, або 2, якщо ви шукаєте родича. Дзвінок може бути небезпечним, якщо телефон "
                    + "опиниться в чужих руках: якщо дзвонити не можна, просто покладіть слухавку.",
            "en", "Thank you, your message is recorded. If we may call you back on this number, press 1 if you are "
                    + "a serviceman, or 2 if you are looking for a relative. A call can be dangerous if someone else "
                    + "holds your phone: if we must not call, just hang up.")),
    CALLBACK_CONFIRMED("callback-confirmed", Map.of(
            "ru", "Спасибо. Мы перезвоним вам. До свидания.",
            "ko", "감사합니다. 우리가 다시 전화하겠습니다. 안녕히 계십시오.",
            "uk", "Дякуємо. Ми вам передзвонимо. До побачення.",
            "en", "Thank you. We will call you back. Goodbye.")),
    GOODBYE("goodbye", Map.of(
            "ru", "До свидания.",
            "ko", "안녕히 계십시오.",
            "uk", "До побачення.",
            "en", "Goodbye.")),
    INVALID("invalid", Map.of(
            "ru", "Эта клавиша здесь не работает.",
            "ko", "여기서는 이 단추를 쓸수 없습니다.",
            "uk", "Ця клавіша тут не працює.",
            "en", "That key does nothing here."));

    /** The names configuration uses ({@code lifeline.telephony.audio.<lang>.<name>}). */
    static final List<String> NAMES = List.of("language", "menu", "hold", "queue-options", "nobody", "voicemail", "callback",
            "callback-confirmed", "goodbye", "invalid");

    /** What the caller's language is called in the language the operators hear it announced in (Ukrainian). */
    static final Map<String, String> LANGUAGE_NAMES_UK = Map.of(
            "ru", "російська", "ko", "корейська", "uk", "українська", "en", "англійська");

    private final String id;
    private final Map<String, String> texts;

    VoicePrompt(String id, Map<String, String> texts) {
        this.id = id;
        this.texts = texts;
    }

    String id() {
        return id;
    }

    String text(String language) {
        return texts.get(language);
    }
}
