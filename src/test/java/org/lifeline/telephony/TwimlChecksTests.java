package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checks themselves: each documented rule for queues refuses what breaks it. */
class TwimlChecksTests {

    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>";

    @Test
    void acceptsAnEnqueueWithItsAttributesAndAQueueDialled() {
        assertThatCode(() -> TwimlChecks.check(HEAD + "<Enqueue action=\"https://h.example/q\" method=\"POST\" "
                + "waitUrl=\"https://h.example/w\" waitUrlMethod=\"POST\">lifeline-ru</Enqueue></Response>"))
                .doesNotThrowAnyException();
        assertThatCode(() -> TwimlChecks.check(HEAD + "<Dial timeout=\"10\"><Queue url=\"https://h.example/c\" "
                + "method=\"POST\">lifeline-ru</Queue></Dial></Response>")).doesNotThrowAnyException();
    }

    @Test
    void refusesLeaveOutsideTheQueueAndVerbsAWaitUrlCannotPlay() {
        assertThatThrownBy(() -> TwimlChecks.check(HEAD + "<Leave/></Response>")).hasMessageContaining("not a verb");
        assertThatCode(() -> TwimlChecks.checkWait(HEAD + "<Leave/></Response>")).doesNotThrowAnyException();
        assertThatThrownBy(() -> TwimlChecks.checkWait(HEAD + "<Dial>+15005550006</Dial></Response>"))
                .hasMessageContaining("not a verb");
        assertThatThrownBy(() -> TwimlChecks.checkWait(HEAD + "<Leave>now</Leave></Response>"))
                .hasMessageContaining("takes no text");
    }

    @Test
    void aDequeuedCallersDocumentOnlyPlaysAndSays() {
        assertThatCode(() -> TwimlChecks.checkDequeued(HEAD + "</Response>")).doesNotThrowAnyException();
        assertThatThrownBy(() -> TwimlChecks.checkDequeued(HEAD + "<Hangup/></Response>")).hasMessageContaining("not a verb");
        assertThatThrownBy(() -> TwimlChecks.checkDequeued(HEAD + "<Gather><Say>x</Say></Gather></Response>"))
                .hasMessageContaining("not a verb");
    }

    @Test
    void refusesAQueueOutsideDialAnUnnamedOrOverlongQueueAndUndocumentedAttributes() {
        assertThatThrownBy(() -> TwimlChecks.check(HEAD + "<Queue>lifeline-ru</Queue></Response>"))
                .hasMessageContaining("not a verb");
        assertThatThrownBy(() -> TwimlChecks.check(HEAD + "<Enqueue waitUrl=\"https://h.example/w\"/></Response>"))
                .hasMessageContaining("queue name");
        assertThatThrownBy(() -> TwimlChecks.check(HEAD + "<Enqueue>" + "q".repeat(65) + "</Enqueue></Response>"))
                .hasMessageContaining("queue name");
        assertThatThrownBy(() -> TwimlChecks.check(HEAD + "<Dial><Queue timeout=\"5\">q</Queue></Dial></Response>"))
                .hasMessageContaining("has no attribute timeout");
    }
}
