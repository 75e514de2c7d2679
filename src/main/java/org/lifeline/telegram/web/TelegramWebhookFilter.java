package org.lifeline.telegram.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.telegram.TelegramIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;

/**
 * {@code POST /webhooks/telegram/{username}}, served here rather than by a controller: this is the path a viral
 * campaign floods, and Spring MVC's dispatch (handler lookup among the console's mappings, argument resolution,
 * return value handling) and the filters behind this one cost more CPU than storing the update does. Only the
 * security headers and the server's request observation run before it (lower orders); nothing after it.
 * <p>
 * 200 only once the update is stored (or was already), for every update type, so that Telegram neither loses nor
 * endlessly retries anything, and for one older than its duplicate is remembered (kept nowhere: it may be a
 * replay); a stored button press answered with the {@code answerCallbackQuery} request that stops its spinner, as
 * JSON ({@link TelegramIntake.Delivery}), every other answer empty; 401 without the right secret or for a bot we do
 * not serve (alike: a scanner cannot tell which bots exist); 400 for what is not an update; 413 for a body larger than
 * any update; 503 when the database is away, so Telegram delivers again later; 405 for any other method. Nothing of
 * the request reaches a log: a failure is logged by its class alone.
 */
class TelegramWebhookFilter extends HttpFilter {

    static final String PATH = "/webhooks/telegram/";
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private static final Logger log = LoggerFactory.getLogger(TelegramWebhookFilter.class);

    private final transient TelegramIntake intake;

    TelegramWebhookFilter(TelegramIntake intake) {
        this.intake = intake;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        var path = request.getRequestURI().substring(request.getContextPath().length());
        // the mapping matched the normalised path; a raw one that does not start here (/console/../webhooks/…)
        // is not a delivery: it goes on through the other filters (Spring Security's firewall refuses it)
        if (!path.startsWith(PATH)) {
            chain.doFilter(request, response);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, "POST");
            answer(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        // the secret is in a header: a sender without it is answered at once, before a byte of his body is read
        // (none of it held in memory), and told that the connection closes; the raw path segment, because a bot's
        // name needs no decoding and anything encoded is no bot of ours
        var bot = intake.authorised(path.substring(PATH.length()), request.getHeader(SECRET_HEADER));
        if (bot.isEmpty()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            answer(response, HttpServletResponse.SC_UNAUTHORIZED);
            response.flushBuffer();
            return;
        }
        byte[] body;
        try (var in = request.getInputStream()) {
            // at most one byte past the limit: an oversized body is refused without being held in memory
            body = in.readNBytes(TelegramIntake.MAX_UPDATE_BYTES + 1);
        } catch (IOException e) {
            // the sender went away or broke its framing mid-body: nothing was stored, nothing to say to anyone
            log.debug("Webhook body not read: {}", e.getClass().getSimpleName());
            answer(response, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        int status;
        String answer = null;
        try {
            var delivery = intake.webhook(bot.get(), body);
            answer = delivery.answer();
            status = switch (delivery.result()) {
                case STORED, DUPLICATE, DROPPED, TOO_OLD -> HttpServletResponse.SC_OK;
                case MALFORMED -> HttpServletResponse.SC_BAD_REQUEST;
                case TOO_LARGE -> HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
            };
        } catch (DataAccessException e) {
            // the database's absence is the pool's to report; one line a delivery would flood the log
            log.debug("Telegram update not stored, answered 503 for a later delivery: {}", e.getClass().getSimpleName());
            status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        } catch (RuntimeException e) {
            log.error("Telegram update not stored, answered 500: {}", e.getClass().getName());
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        if (status == HttpServletResponse.SC_OK && answer != null) {
            var bytes = answer.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            return;
        }
        answer(response, status);
    }

    private static void answer(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentLength(0);
    }
}
