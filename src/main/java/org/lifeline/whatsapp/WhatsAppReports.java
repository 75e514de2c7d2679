package org.lifeline.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageView;
import org.lifeline.platform.BackgroundWork;
import org.lifeline.platform.SqlTimestamps;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What WhatsApp reports about our messages, carried onto the conversation where the console shows it. Reports
 * are stored first (so the webhook can answer at once) and applied by a background job: a status may arrive
 * before the dispatcher has recorded the send it is about, so one not yet matched is looked at again shortly.
 */
@Component
class WhatsAppReports {

    static final String TEMPLATE = "template";
    static final Duration RETRY = Duration.ofSeconds(2);
    /** A report for a message never recorded here (sent by another tool on the same number) is dropped after this. */
    static final Duration GIVE_UP = Duration.ofHours(24);
    static final String RE_ENGAGEMENT = "131047";
    private static final int BATCH = 100;
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    static final Duration POLL = Duration.ofMillis(500);

    private final JdbcClient jdbc;
    private final ConversationManagement conversations;
    /** Lazily: the gateway's adapters include the WhatsApp adapter, which records reports here. */
    private final ObjectProvider<ChannelGateway> gateway;
    private final WhatsAppWindows windows;
    private final WhatsAppSettings settings;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate separately;
    private final BackgroundWork.Job job;
    private volatile Instant lastPurge = Instant.MIN;

    WhatsAppReports(JdbcClient jdbc, ConversationManagement conversations, ObjectProvider<ChannelGateway> gateway,
            WhatsAppWindows windows, WhatsAppSettings settings, BackgroundWork work, Clock clock,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.gateway = gateway;
        this.windows = windows;
        this.settings = settings;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.job = settings.enabled() ? work.add("whatsapp-reports", POLL, this::applyDueAndPurge) : null;
    }

    /** One run of the job: closed windows purged now and then, and the reports that are due applied. */
    private boolean applyDueAndPurge() {
        if (clock.instant().isAfter(lastPurge.plus(PURGE_EVERY))) {
            transaction.executeWithoutResult(status -> windows.purgeClosed());
            lastPurge = clock.instant();
        }
        return applyDue() > 0;
    }

    /**
     * Keeps a report (once per message and kind: Meta redelivers). Committed on its own, whatever the caller's
     * transaction does.
     *
     * @param contactRef the contact, for a failure that closes his window
     */
    void record(String wamidRef, String kind, String errorCode, byte[] contactRef) {
        separately.executeWithoutResult(status -> jdbc.sql("""
                insert into whatsapp_report (wamid_ref, kind, error_code, contact_ref, received_at, not_before)
                values (?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(wamidRef, kind, errorCode, contactRef, SqlTimestamps.of(clock.instant()), SqlTimestamps.of(clock.instant()))
                .update());
        if (job != null) {
            job.wake();
        }
    }

    private record Report(long id, String wamidRef, String kind, String errorCode, byte[] contactRef,
            Instant receivedAt) {
    }

    /** Applies the reports that are due; returns how many were settled (applied or given up). */
    int applyDue() {
        var settled = transaction.execute(status -> {
            var now = clock.instant();
            List<Report> due = jdbc.sql("""
                    select id, wamid_ref, kind, error_code, contact_ref, received_at from whatsapp_report
                    where not_before <= ? order by id limit %d for update skip locked""".formatted(BATCH))
                    .param(SqlTimestamps.of(now))
                    .query((rs, n) -> new Report(rs.getLong("id"), rs.getString("wamid_ref"), rs.getString("kind"),
                            rs.getString("error_code"), rs.getBytes("contact_ref"), SqlTimestamps.read(rs, "received_at")))
                    .list();
            var done = 0;
            for (var report : due) {
                var message = conversations.findOutbound(WhatsAppAdapter.TYPE, report.wamidRef());
                if (message.isPresent()) {
                    apply(message.get(), report);
                } else if (report.receivedAt().plus(GIVE_UP).isAfter(now)) {
                    jdbc.sql("update whatsapp_report set not_before = ? where id = ?")
                            .params(SqlTimestamps.of(now.plus(RETRY)), report.id()).update();
                    continue;
                }
                jdbc.sql("delete from whatsapp_report where id = ?").param(report.id()).update();
                done++;
            }
            return done;
        });
        return settled == null ? 0 : settled;
    }

    private void apply(MessageView message, Report report) {
        var template = message.deliveryDetail() != null && message.deliveryDetail().startsWith("whatsapp.template");
        switch (report.kind()) {
            case TEMPLATE -> conversations.noteDelivery(message.id(), "whatsapp.template");
            case "delivered" -> {
                if (message.delivery() != DeliveryState.DELIVERED) {
                    conversations.updateDelivery(message.id(), DeliveryState.DELIVERED, message.deliveryDetail());
                }
            }
            case "read" -> {
                var detail = template ? "whatsapp.template.read" : "whatsapp.read";
                if (message.delivery() == DeliveryState.DELIVERED) {
                    conversations.noteDelivery(message.id(), detail);
                } else {
                    conversations.updateDelivery(message.id(), DeliveryState.DELIVERED, detail);
                }
            }
            case "failed" -> {
                var code = report.errorCode() == null || !report.errorCode().matches("[0-9]{1,10}")
                        ? "failed" : report.errorCode();
                var failed = conversations.updateDelivery(message.id(), DeliveryState.FAILED, "whatsapp." + code);
                if (failed && RE_ENGAGEMENT.equals(code) && !template && report.contactRef() != null) {
                    // his window had closed after all: what he was to read goes again, as the template
                    windows.close(report.contactRef());
                    if (message.body() != null) {
                        gateway.getObject().send(message.conversation(), new OutboundContent.Text(message.body()));
                    }
                }
            }
            default -> {
                // "sent" is already recorded by the dispatcher; other statuses (deleted, …) change nothing here
            }
        }
    }
}
