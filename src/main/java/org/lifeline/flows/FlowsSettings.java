package org.lifeline.flows;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param directory flows laid over the shipped ones: same path replaces, new files add flows or languages
 *                  ({@code LIFELINE_FLOWS_DIRECTORY}); null for the shipped flows alone
 * @param unsolicitedMessages whether the flows' reminders and expiry notices, which the requester did not ask for,
 *                            are sent: {@code off} (the default: a phone that buzzes unasked can give away a hidden
 *                            requester) or {@code silent} (sent, without notification sound where the channel can:
 *                            Telegram only)
 */
@ConfigurationProperties("lifeline.flows")
record FlowsSettings(Path directory, @DefaultValue("off") Unsolicited unsolicitedMessages) {

    enum Unsolicited {
        OFF, SILENT
    }
}
