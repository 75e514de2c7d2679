package org.lifeline.console.web;

import java.util.Locale;

import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageView;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * A transcript line as the operator reads it, written from the message's kind and fields in the console's
 * language, with hidden characters made visible ({@link VisibleText}). Templates call it as
 * {@code ${@transcriptLine.of(m)}}; an erased message has none.
 */
@Component("transcriptLine")
public class TranscriptLine {

    private final MessageSource messages;

    TranscriptLine(MessageSource messages) {
        this.messages = messages;
    }

    public String of(MessageView message) {
        return message.erased() ? null : VisibleText.show(line(message.content(), LocaleContextHolder.getLocale()));
    }

    public String line(MessageContent content, Locale locale) {
        return switch (content) {
            case MessageContent.Text text -> text.text();
            // never the code: a row stored before only campaigns' codes were kept may hold a personal link's payload
            // (the campaign itself is on the case page and in the queue)
            case MessageContent.Start start -> text(locale, "start");
            case MessageContent.Choice choice -> text(locale, "choice", choice.choiceId());
            case MessageContent.Location location -> text(locale, "location",
                    String.format(Locale.ROOT, "%.6f, %.6f", location.latitude(), location.longitude()));
            case MessageContent.ContactCard card -> text(locale, "contact", String.valueOf(card.phoneNumber()));
            case MessageContent.Photo photo -> photo.caption() == null ? text(locale, "photo")
                    : text(locale, "photo") + "\n" + photo.caption();
            case MessageContent.Voice voice -> text(locale, "voice");
            case MessageContent.Call call -> switch (call.event()) {
                case RANG -> text(locale, "call.rang", String.valueOf(call.line()));
                case ANSWERED -> text(locale, "call.answered", call.operator() == null ? "?" : call.operator(),
                        seconds(call.seconds()));
                case NOT_ANSWERED -> text(locale, "call.not-answered", String.valueOf(call.status()));
                case ENDED -> text(locale, "call.ended", call.status() == null ? "?" : call.status(),
                        seconds(call.seconds()));
            };
            case MessageContent.Voicemail voicemail -> text(locale, "voicemail", seconds(voicemail.seconds()));
            case MessageContent.CallbackRequest callback -> text(locale, "callback", String.valueOf(callback.about()));
        };
    }

    private String text(Locale locale, String key, Object... arguments) {
        return messages.getMessage("console.message." + key, arguments, locale);
    }

    private static String seconds(Integer seconds) {
        return seconds == null ? "?" : seconds.toString();
    }
}
