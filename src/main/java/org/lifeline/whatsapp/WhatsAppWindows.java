package org.lifeline.whatsapp;

import java.time.Clock;
import java.time.Instant;

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The 24-hour customer-service window per contact: free-form messages may go out only until
 * {@code serviceWindow} after his last message; after that only approved templates.
 */
@Repository
class WhatsAppWindows {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final WhatsAppSettings settings;
    private final Clock clock;

    WhatsAppWindows(JdbcClient jdbc, DataProtection protection, WhatsAppSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.settings = settings;
        this.clock = clock;
    }

    /** The blind index naming a contact of a number (his WhatsApp id is his phone number). */
    byte[] contactRef(String phoneNumberId, String waId) {
        return protection.blindIndex("whatsapp.contact", phoneNumberId + ":" + waId);
    }

    /** He wrote at this time (Meta's time stamp, never later than now): the window opens or stays open. */
    void inbound(byte[] contactRef, Instant at) {
        var now = clock.instant();
        var when = SqlTimestamps.of(at.isAfter(now) ? now : at);
        if (moveForward(contactRef, when)) {
            return;
        }
        var inserted = jdbc.sql("insert into whatsapp_window (contact_ref, last_inbound_at) values (?, ?) on conflict do nothing")
                .params(contactRef, when).update() == 1;
        if (!inserted) {
            moveForward(contactRef, when);
        }
    }

    private boolean moveForward(byte[] contactRef, java.time.OffsetDateTime when) {
        return jdbc.sql("update whatsapp_window set last_inbound_at = ? where contact_ref = ? and last_inbound_at < ?")
                .params(when, contactRef, when).update() == 1;
    }

    /** WhatsApp refused a free-form message as outside the window: templates only until he writes again. */
    void close(byte[] contactRef) {
        jdbc.sql("delete from whatsapp_window where contact_ref = ?").param(contactRef).update();
    }

    boolean open(byte[] contactRef) {
        var last = jdbc.sql("select last_inbound_at from whatsapp_window where contact_ref = ?").param(contactRef)
                .query((rs, n) -> SqlTimestamps.read(rs, "last_inbound_at")).optional();
        return last.isPresent() && last.get().plus(settings.serviceWindow()).isAfter(clock.instant());
    }

    /**
     * Forgets windows that have closed: a closed window and no row mean the same, and the row would otherwise keep
     * telling (by its keyed hash) that this number once wrote, even after he asked to be forgotten.
     */
    int purgeClosed() {
        return jdbc.sql("delete from whatsapp_window where last_inbound_at < ?")
                .param(SqlTimestamps.of(clock.instant().minus(settings.serviceWindow()))).update();
    }
}
