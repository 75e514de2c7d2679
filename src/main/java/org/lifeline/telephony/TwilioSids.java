package org.lifeline.telephony;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SMS and calls the provider announced, by the SHA-256 of their SID (random ids of the provider, not numbers),
 * for as long as the database lives: Twilio's signature covers no time, so a captured request stays valid for ever,
 * and only what was seen tells a replay from a new message once the raw updates and the call rows are gone. The
 * first sighting is kept to the hour, which is all a call's age needs.
 */
@Repository
class TwilioSids {

    /** Twilio ends every call within 24 hours; a day more for the callbacks that follow its end. */
    static final Duration LONGEST_CALL = Duration.ofDays(2);
    /** Twilio retries a call's first request within seconds, never hours later. */
    static final Duration INCOMING_RETRIES = Duration.ofHours(2);

    private final JdbcClient jdbc;
    private final Clock clock;

    TwilioSids(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Optional<Instant> firstSeen(String sid) {
        return jdbc.sql("select first_seen from telephony_seen_sid where sid_hash = ?").param(hash(sid))
                .query((rs, n) -> SqlTimestamps.read(rs, "first_seen")).optional();
    }

    /** Seen now, unless it was before. */
    void seen(String sid) {
        jdbc.sql("insert into telephony_seen_sid (sid_hash, first_seen) values (?, ?) on conflict do nothing")
                .params(hash(sid), SqlTimestamps.of(clock.instant().truncatedTo(ChronoUnit.HOURS))).update();
    }

    /** Whether it was first seen longer ago than this (to the hour: up to an hour more). */
    boolean seenLongerAgoThan(String sid, Duration age) {
        return firstSeen(sid).filter(first -> first.isBefore(clock.instant().minus(age))).isPresent();
    }

    private static String hash(String sid) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(sid.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
