package org.lifeline.webchat.web;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.webchat.WebChat;
import org.lifeline.webchat.WebChatSettings;
import org.lifeline.site.PublicPages;
import org.lifeline.site.SiteLanguage;
import org.lifeline.site.SiteLinks;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * {@code /{lang}/chat}: one address for the page and every form on it, so that its relative links hold whatever
 * a response answers; forms say what they do in {@code op}. Every successful post redirects (303) to the page,
 * so reloading or going back never posts again; refusals render the page with their status and keep what he
 * typed. The only cookie is the session token, limited to this language's chat path.
 */
@Controller
class WebChatController {

    static final String COOKIE = "lifeline_chat";
    private static final String CHAT = "/{lang:[a-z]{2,3}}/chat";
    /** A campaign's link: {@code /{lang}/c/<entry code>}. */
    private static final String CAMPAIGN = "/{lang:[a-z]{2,3}}/c/{code}";
    /** What an entry code can look like; anything else is dropped, never echoed. */
    private static final Pattern ENTRY_CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Seconds between automatic reloads when he asks for them, and while an answer is on its way. */
    private static final int AUTO_REFRESH = 15;
    private static final int WAITING_REFRESH = 3;

    private final WebChat chat;
    private final WebChatSettings settings;
    private final PublicPages pages;

    WebChatController(WebChat chat, WebChatSettings settings, PublicPages pages) {
        this.chat = chat;
        this.settings = settings;
        this.pages = pages;
    }

    /**
     * A campaign's link opens the chat's start page in the link's language (the campaign's own) with the code in the
     * start form. Nothing is looked up here: an unknown code gets the same page, and the code counts only once he
     * has started and said something, when the start is stored (then an unknown one starts the chat as no code would).
     */
    @GetMapping(CAMPAIGN)
    ModelAndView campaign(@PathVariable String lang, @PathVariable String code) {
        language(lang);
        return seeOther(ENTRY_CODE.matcher(code).matches() ? "../chat?c=" + code : "../chat");
    }

    @GetMapping(CHAT)
    ModelAndView show(@PathVariable String lang, @CookieValue(name = COOKIE, required = false) String token,
            @RequestParam(required = false) String left, @RequestParam(required = false) String erased,
            @RequestParam(name = "c", required = false) String entryCode,
            HttpServletRequest request, HttpServletResponse response) {
        var language = language(lang);
        var session = chat.session(token, true);
        if (session.isEmpty()) {
            if (token != null) {
                clearCookie(request, response, language);
            }
            var page = startPage(language, token != null ? "chat.expired" : erased != null ? "chat.erased"
                    : left != null ? "chat.left" : null, HttpStatus.OK);
            page.addObject("entryCode", entryCode(entryCode));
            return page;
        }
        var view = chat.view(session.get());
        if (view.ended()) {
            chat.leave(token);
            clearCookie(request, response, language);
            return startPage(language, "chat.ended", HttpStatus.OK);
        }
        return chatPage(language, session.get(), view, null, null, null, HttpStatus.OK);
    }

    /** For the script's live updates: changes whenever the page would; 410 once the session is gone. */
    @GetMapping(path = CHAT + "/state", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> state(@PathVariable String lang, @CookieValue(name = COOKIE, required = false) String token) {
        language(lang);
        return chat.session(token, false)
                .map(session -> ResponseEntity.ok(chat.state(session)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.GONE).body("gone"));
    }

    @PostMapping(path = CHAT, params = "op=start")
    ModelAndView start(@PathVariable String lang, @RequestParam(required = false) String challenge,
            @RequestParam(required = false) String codename, @RequestParam(required = false) String work,
            @RequestParam(required = false) String answer, @RequestParam(name = "entry", required = false) String entryCode,
            HttpServletRequest request, HttpServletResponse response) {
        var language = language(lang);
        var opened = chat.start(language.code(), challenge, codename, work, answer, entryCode(entryCode));
        // a refused start shows the form again: with the campaign's code still in it
        return opened(opened, language, request, response).addObject("entryCode", entryCode(entryCode));
    }

    @PostMapping(path = CHAT, params = "op=resume")
    ModelAndView resume(@PathVariable String lang, @RequestParam(required = false) String challenge,
            @RequestParam(required = false) String work, @RequestParam(required = false) String answer,
            @RequestParam(required = false) String codename, HttpServletRequest request, HttpServletResponse response) {
        var language = language(lang);
        return opened(chat.resume(challenge, work, answer, codename), language, request, response);
    }

    /**
     * A message typed or a choice pressed: both carry their form's token ({@code form}) and, from a browser that
     * runs the page's script, the work found for it ({@code work}).
     */
    @PostMapping(path = CHAT, params = {"op", "form"})
    ModelAndView post(@PathVariable String lang, @CookieValue(name = COOKIE, required = false) String token,
            @RequestParam String op, @RequestParam String form, @RequestParam(required = false) String text,
            @RequestParam(required = false) String choice, @RequestParam(required = false) String work,
            HttpServletRequest request, HttpServletResponse response) {
        var language = language(lang);
        var session = chat.session(token, true);
        var choosing = "choose".equals(op);
        if (session.isEmpty()) {
            if (token == null || choosing || text == null || text.isBlank()) {
                return seeOther("chat");
            }
            // his session ended while he typed: the start page, saying so, with what he wrote for him to copy
            clearCookie(request, response, language);
            return startPage(language, "chat.expired", HttpStatus.OK).addObject("unsent", kept(text));
        }
        var posted = choosing ? chat.choice(session.get(), language.code(), form, work, choice)
                : chat.text(session.get(), language.code(), form, work, text);
        if (posted.session() != null) {
            // his first post started the chat: the cookie holds its session from now on
            response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, language, posted.session(), false).toString());
        }
        // a choice pressed has no text to keep, whatever the request carried
        return posted(language, session.get(), posted, choosing ? null : text, response);
    }

    @PostMapping(path = CHAT, params = "op=refresh")
    ModelAndView refresh(@PathVariable String lang, @CookieValue(name = COOKIE, required = false) String token,
            @RequestParam(required = false) String auto) {
        language(lang);
        chat.session(token, true).ifPresent(session -> chat.autoRefresh(session, "on".equals(auto)));
        return seeOther("chat#latest");
    }

    @PostMapping(path = CHAT, params = "op=leave")
    ModelAndView leave(@PathVariable String lang, @CookieValue(name = COOKIE, required = false) String token,
            HttpServletRequest request, HttpServletResponse response) {
        var language = language(lang);
        chat.leave(token);
        clearCookie(request, response, language);
        return seeOther("chat?left");
    }

    @PostMapping(path = CHAT, params = "op=erase")
    ModelAndView erase(@PathVariable String lang, @CookieValue(name = COOKIE, required = false) String token,
            HttpServletRequest request, HttpServletResponse response) {
        var language = language(lang);
        chat.erase(token);
        clearCookie(request, response, language);
        return seeOther("chat?erased");
    }

    private ModelAndView opened(WebChat.Opened opened, SiteLanguage language, HttpServletRequest request,
            HttpServletResponse response) {
        return switch (opened.result()) {
            case OPENED -> {
                response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, language, opened.token(), false).toString());
                yield seeOther("chat#latest");
            }
            case LIMITED -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, "60");
                yield startPage(language, "chat.busy", HttpStatus.TOO_MANY_REQUESTS);
            }
            case REFUSED -> startPage(language, "chat.check.wrong", HttpStatus.UNPROCESSABLE_CONTENT);
            case UNKNOWN -> startPage(language, "chat.resume.unknown", HttpStatus.UNPROCESSABLE_CONTENT);
        };
    }

    private ModelAndView posted(SiteLanguage language, WebChat.Session session, WebChat.Posted posted, String draft,
            HttpServletResponse response) {
        return switch (posted.outcome()) {
            case STORED, DUPLICATE -> seeOther("chat#latest");
            case INVALID -> chatPage(language, session, chat.view(session), "chat.invalid", settings.maxMessageLength(),
                    kept(draft), HttpStatus.UNPROCESSABLE_CONTENT);
            case LIMITED -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(posted.retryAfterSeconds()));
                yield chatPage(language, session, chat.view(session), "chat.limited", posted.retryAfterSeconds(),
                        kept(draft), HttpStatus.TOO_MANY_REQUESTS);
            }
        };
    }

    /**
     * What he typed, to show again: as much as a message may hold. The page's field holds no more, and the page is
     * not to carry back whatever a client sent (two megabytes a post), many times over.
     */
    private String kept(String draft) {
        var max = settings.maxMessageLength();
        if (draft == null || draft.length() <= max) {
            return draft;
        }
        return draft.substring(0, Character.isHighSurrogate(draft.charAt(max - 1)) ? max - 1 : max);
    }

    private ModelAndView startPage(SiteLanguage language, String notice, HttpStatus status) {
        var model = page(language, notice, null);
        model.put("offer", chat.offer(language.code()));
        return new ModelAndView("webchat/start", model, status);
    }

    private ModelAndView chatPage(SiteLanguage language, WebChat.Session session, WebChat.View view, String notice,
            Object noticeArgument, String draft, HttpStatus status) {
        var model = page(language, notice, noticeArgument);
        model.put("chat", view);
        model.put("stored", session.stored());
        // both forms ask for the work asked now, which their tokens carry signed
        var bits = chat.postBits();
        model.put("choiceForm", chat.formToken(session, bits));
        model.put("textForm", chat.formToken(session, bits));
        model.put("postBits", bits);
        model.put("draft", draft);
        model.put("maxLength", settings.maxMessageLength());
        if (view.autoRefresh() || view.waiting()) {
            model.put("refresh", view.waiting() ? WAITING_REFRESH : AUTO_REFRESH);
        }
        return new ModelAndView("webchat/chat", model, status);
    }

    private Map<String, Object> page(SiteLanguage language, String notice, Object noticeArgument) {
        var model = new HashMap<String, Object>(pages.model(SiteLinks.live(language, "chat")));
        model.put("notice", notice);
        model.put("noticeArgument", noticeArgument);
        // its forms are checked by Origin or Referer where Sec-Fetch-Site is missing: send them to ourselves
        model.put("referrerPolicy", "same-origin");
        return model;
    }

    /**
     * The session cookie: {@code Secure} when the request came over TLS, to us or to a trusted proxy in front
     * (Tomcat's remote IP valve reads its forwarded headers); no expiry, so the browser drops it when closed.
     */
    private static ResponseCookie cookie(HttpServletRequest request, SiteLanguage language, String value, boolean clear) {
        var secure = request.isSecure();
        var cookie = ResponseCookie.from(COOKIE, value)
                .path(request.getContextPath() + "/" + language.code() + "/chat")
                .httpOnly(true)
                .sameSite("Strict")
                .secure(secure);
        return clear ? cookie.maxAge(0).build() : cookie.build();
    }

    private static void clearCookie(HttpServletRequest request, HttpServletResponse response, SiteLanguage language) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, language, "", true).toString());
    }

    /** A relative 303: the page is fetched again with GET, on whatever host he came by. */
    private static ModelAndView seeOther(String location) {
        var redirect = new RedirectView(location);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        redirect.setExposeModelAttributes(false);
        return new ModelAndView(redirect);
    }

    private static String entryCode(String code) {
        return code != null && ENTRY_CODE.matcher(code).matches() ? code : null;
    }

    private static SiteLanguage language(String code) {
        return SiteLanguage.fromCode(code).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
