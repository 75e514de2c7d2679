package org.lifeline.console.web;

import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.cases.CaseUnchangeable;
import org.lifeline.operators.InvalidAccountChange;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.platform.RequestLanguage;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The console speaks each operator's own language (Ukrainian or English, kept on the account); before signing in,
 * the browser's choice between them, English when it prefers neither. Texts are in
 * {@code console/messages_<lang>.properties}; this also writes the ones controllers put into flash messages.
 */
@Component
class ConsoleLanguage implements HandlerInterceptor {

    private static final List<String> LANGUAGES = OperatorManagement.CONSOLE_LANGUAGES;

    private final OperatorManagement operators;
    private final MessageSource messages;

    ConsoleLanguage(OperatorManagement operators, MessageSource messages) {
        this.operators = operators;
        this.messages = messages;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(RequestLanguage.ATTRIBUTE, Locale.forLanguageTag(language(request)));
        return true;
    }

    private String language(HttpServletRequest request) {
        var signedIn = operators.current();
        if (signedIn.isPresent()) {
            return operators.language(signedIn.get().id());
        }
        var accept = request.getHeader(HttpHeaders.ACCEPT_LANGUAGE);
        if (accept != null && !accept.isBlank()) {
            try {
                var ranges = Locale.LanguageRange.parse(accept).stream().filter(range -> range.getWeight() > 0).toList();
                var tag = Locale.lookupTag(ranges, LANGUAGES);
                if (tag != null) {
                    return tag;
                }
            } catch (IllegalArgumentException malformed) {
                // fall through to English
            }
        }
        return "en";
    }

    /** A console text in the language of the current request. */
    String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    /** A change refused because the case takes it no more, in the operator's language. */
    String refusal(CaseUnchangeable refused) {
        return text("console.case.unchangeable." + refused.reason());
    }

    /** A refused account change, in the operator's language. */
    String refusal(InvalidAccountChange refused) {
        return text("console.account." + refused.reason(), refused.arguments());
    }
}
