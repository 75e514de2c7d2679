package org.lifeline.conversations;

import java.time.Duration;
import java.time.Instant;

import org.lifeline.privacy.ExpiringData;
import org.springframework.stereotype.Component;

/** Files requesters sent (photos, documents): removed after the period; the message says a file came. */
@Component
class AttachmentRetention extends ExpiringData {

    private final Attachments attachments;

    AttachmentRetention(Attachments attachments) {
        super("attachments", "files requesters sent (photos, documents)", Duration.ofDays(90), "files");
        this.attachments = attachments;
    }

    @Override
    protected long removeBefore(Instant cutoff, boolean dryRun) {
        return attachments.deleteCreatedBefore(cutoff, dryRun);
    }
}
