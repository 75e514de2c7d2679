package org.lifeline.console.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.regex.Pattern;

import org.lifeline.platform.PeriodicWork;
import org.lifeline.platform.PlatformSettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The nonces of the reply forms shown on a conversation, so that one form queues one reply on whichever node its
 * posts arrive (a double click sends two at once). A nonce is random, bound to nothing personal; it is kept by the
 * transaction that queues its reply, and forgotten once the session that could post it has ended for certain.
 */
@Component
class ReplyForms extends PeriodicWork {

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ReplyForms(JdbcClient jdbc, Clock clock, PlatformSettings settings) {
        super("console-reply-forms", settings);
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A nonce for one form. */
    String nonce() {
        var bytes = new byte[16];
        random.nextBytes(bytes);
        return BASE64.encodeToString(bytes);
    }

    static boolean wellFormed(String nonce) {
        return NONCE.matcher(nonce).matches();
    }

    /**
     * Takes the form's nonce in the caller's transaction: false if a post of this form queued its reply already.
     * A post of the same form still in flight holds the row: this one waits for its end, and takes the nonce only
     * if it was rolled back (its reply was not queued either).
     */
    boolean take(String nonce) {
        return jdbc.sql("insert into console_reply_form (nonce, sent_at) values (?, ?) on conflict do nothing")
                .params(nonce, clock.instant().atOffset(ZoneOffset.UTC)).update() == 1;
    }

    @Override
    protected Duration every() {
        return Duration.ofMinutes(30);
    }

    @Override
    protected void round() {
        // no page can post a form shown before its session's longest life: its form token (CSRF) died with it
        jdbc.sql("delete from console_reply_form where sent_at < ?")
                .param(clock.instant().minus(ConsoleSessions.LONGEST).atOffset(ZoneOffset.UTC)).update();
    }
}
