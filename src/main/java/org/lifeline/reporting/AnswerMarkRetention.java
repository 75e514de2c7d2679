package org.lifeline.reporting;

import java.time.Duration;
import java.time.Instant;

import org.lifeline.privacy.RetainedData;
import org.springframework.stereotype.Component;

/**
 * The marks of answered conversations name a conversation, so they do not outlive their use: a conversation quiet for
 * the period is over, and an answer after that would be a new request's.
 */
@Component
class AnswerMarkRetention implements RetainedData {

    private final EventHistory history;

    AnswerMarkRetention(EventHistory history) {
        this.history = history;
    }

    @Override
    public String kind() {
        return "answer-marks";
    }

    @Override
    public String description() {
        return "which conversations an operator answered already, so that only the first answer is timed";
    }

    @Override
    public Duration defaultPeriod() {
        return Duration.ofDays(90);
    }

    @Override
    public long purge(Instant cutoff, boolean dryRun, Tally tally) {
        return dryRun ? history.countMarksBefore(cutoff) : history.deleteMarksBefore(cutoff);
    }
}
