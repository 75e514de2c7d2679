package org.lifeline.cases;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.UUID;

import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.privacy.RetainedData;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requesters quiet for the period and with no case left: forgotten as a deletion forgets them (their key destroyed,
 * their channel id unlinked, their flow sessions and files gone), so that what they wrote does not outlive every
 * case about them. A case, open or finished, keeps its requester until {@code closed-cases} removes it; this kind
 * then takes him at its next run, if he has been quiet as long. Counted by channel.
 */
@Component
class QuietContactRetention implements RetainedData {

    private final ConversationManagement conversations;
    private final JdbcClient jdbc;

    QuietContactRetention(ConversationManagement conversations, JdbcClient jdbc) {
        this.conversations = conversations;
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "quiet-contacts";
    }

    @Override
    public String description() {
        return "requesters with no case, silent in every conversation: forgotten as a deletion forgets them, "
                + "counted by channel";
    }

    @Override
    public Duration defaultPeriod() {
        return Duration.ofDays(180);
    }

    @Override
    public long purge(Instant cutoff, boolean dryRun, Tally tally) {
        // one read of who has a case, rather than a query for each quiet requester; asked again under his lock
        var withCase = new HashSet<>(jdbc.sql(
                "select distinct contact_id from support_case where contact_id is not null")
                .query((rs, n) -> rs.getObject(1, UUID.class)).list());
        var removed = 0L;
        for (var quiet : conversations.quietSince(cutoff)) {
            if (withCase.contains(quiet.contact().value())) {
                continue;
            }
            if (dryRun) {
                removed++;
            } else if (conversations.forgetIfQuiet(quiet.contact(), cutoff, this::hasCase)) {
                removed++;
                tally.add(quiet.channel(), LocalDate.ofInstant(quiet.lastActive(), ZoneOffset.UTC), 1);
            }
        }
        return removed;
    }

    private boolean hasCase(ContactId contact) {
        return jdbc.sql("select count(*) from support_case where contact_id = ?").param(contact.value())
                .query(Long.class).single() > 0;
    }
}
