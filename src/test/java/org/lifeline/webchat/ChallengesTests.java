package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lifeline.privacy.DataProtection;

class ChallengesTests {

    static final String CODENAME = "abandon ability able about above";
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final int BITS = 8;

    final DataProtection protection = keyedHash();
    final Challenges challenges = at(NOW);

    @Test
    void acceptsTheRightSumWithoutAnyWork() {
        var challenge = challenges.issue(CODENAME);
        assertThat(challenges.verify(challenge.token(), CODENAME, null, " " + (challenge.a() + challenge.b()) + " ")).isPresent();
        assertThat(challenges.verify(challenge.token(), CODENAME, null, Integer.toString(challenge.a() + challenge.b() + 1))).isEmpty();
    }

    @Test
    void acceptsWorkThatMeetsTheDifficultyInsteadOfTheSum() {
        var challenge = challenges.issue(CODENAME);
        var work = 0;
        while (Challenges.leadingZeroBits(Challenges.sha256(challenge.token() + ":" + work)) < BITS) {
            work++;
        }
        assertThat(challenges.verify(challenge.token(), CODENAME, Integer.toString(work), null)).isPresent();
        var weak = 0;
        while (Challenges.leadingZeroBits(Challenges.sha256(challenge.token() + ":" + weak)) >= BITS) {
            weak++;
        }
        assertThat(challenges.verify(challenge.token(), CODENAME, Integer.toString(weak), null)).isEmpty();
    }

    @Test
    void refusesAnotherCodenameATamperedTokenAndAStaleOne() {
        var challenge = challenges.issue(CODENAME);
        var sum = Integer.toString(challenge.a() + challenge.b());
        assertThat(challenges.verify(challenge.token(), "zoo zoo zoo zoo zoo", null, sum)).as("codename chosen by him").isEmpty();
        assertThat(challenges.verify(challenge.token(), CODENAME.toUpperCase(), null, sum)).as("same words").isPresent();
        var parts = challenge.token().split("\\.");
        // another sum than the one issued (whatever the random one was), under the original signature
        var other = parts[0] + "." + parts[1] + "." + (challenge.a() + 1) + "." + challenge.b() + "." + parts[4] + "."
                + parts[5];
        assertThat(challenges.verify(other, CODENAME, null, Integer.toString(challenge.a() + 1 + challenge.b())))
                .as("sum changed").isEmpty();
        assertThat(challenges.verify("nonsense", CODENAME, null, sum)).isEmpty();
        assertThat(challenges.verify(null, CODENAME, null, sum)).isEmpty();
        assertThat(at(NOW.plus(Challenges.VALID_FOR).plus(Duration.ofSeconds(1))).verify(challenge.token(), CODENAME, null, sum))
                .isEmpty();
    }

    @Test
    void aResumeChallengeServesNoStartAndAskedWorkCannotBeLowered() {
        var resume = challenges.issue(Challenges.RESUME, "", 4);
        var sum = Integer.toString(resume.a() + resume.b());
        assertThat(resume.bits()).isEqualTo(BITS + 4);
        assertThat(challenges.verify(Challenges.RESUME, resume.token(), "any words at all", null, sum)).isPresent();
        assertThat(challenges.verify(resume.token(), CODENAME, null, sum)).as("not a start's").isEmpty();
        var parts = resume.token().split("\\.");
        var easier = String.join(".", parts[0], parts[1], parts[2], parts[3], "0", parts[5]);
        assertThat(challenges.verify(Challenges.RESUME, easier, "", "0", null)).as("work lowered").isEmpty();
    }

    @Test
    void aResumeChallengesWorkPaysForALimitedTimeAndThenCountsAsItsTypedSum() {
        var resume = challenges.issue(Challenges.RESUME, "", 0);
        var work = 0;
        while (Challenges.leadingZeroBits(Challenges.sha256(resume.token() + ":" + work)) < BITS) {
            work++;
        }
        var found = Integer.toString(work);
        var sum = Integer.toString(resume.a() + resume.b());
        assertThat(at(NOW.plus(Challenges.FORM_PAID_FOR)).verify(Challenges.RESUME, resume.token(), "", found, null))
                .get().extracting(Challenges.Challenge::worked).isEqualTo(true);
        var later = at(NOW.plus(Challenges.FORM_PAID_FOR).plusSeconds(1));
        assertThat(later.verify(Challenges.RESUME, resume.token(), "", found, null)).as("work stored up: counted as the sum")
                .get().extracting(Challenges.Challenge::worked).isEqualTo(false);
        assertThat(later.verify(Challenges.RESUME, resume.token(), "", null, sum)).as("the sum, typed")
                .get().extracting(Challenges.Challenge::worked).isEqualTo(false);
    }

    @Test
    void aMessageFormsTokenIsOursForItsSessionAloneAndItsWorkPaysForALimitedTime() {
        var token = challenges.formToken("session one", 16);

        var form = challenges.form(token, "session one");
        assertThat(form).get().satisfies(f -> {
            assertThat(f.bits()).isEqualTo(16);
            assertThat(f.issued()).isEqualTo(NOW);
            assertThat(token).startsWith(f.nonce() + ".");
        });
        assertThat(challenges.form(token, "session two")).as("another session's").isEmpty();
        var parts = token.split("\\.");
        assertThat(challenges.form(String.join(".", parts[0], parts[1], "0", parts[3]), "session one"))
                .as("the work asked lowered").isEmpty();
        assertThat(challenges.form("AAAAAAAAAAAAAAAAAAAAAA", "session one")).as("made up").isEmpty();
        assertThat(challenges.form(null, "session one")).isEmpty();

        assertThat(challenges.paysNow(form.get())).isTrue();
        assertThat(at(NOW.plus(Challenges.FORM_PAID_FOR)).paysNow(form.get())).isTrue();
        assertThat(at(NOW.plus(Challenges.FORM_PAID_FOR).plusSeconds(1)).paysNow(form.get())).as("stored up").isFalse();
    }

    @Test
    void aSolvedChallengeOpensOnlyAFewSessions() {
        var challenge = challenges.issue(CODENAME);
        var met = challenges.verify(challenge.token(), CODENAME, null, Integer.toString(challenge.a() + challenge.b()))
                .orElseThrow();
        for (var i = 0; i < Challenges.USES; i++) {
            assertThat(challenges.use(met)).as("use %d", i + 1).isTrue();
        }
        assertThat(challenges.use(met)).as("replayed once more").isFalse();
        assertThat(challenges.use(challenges.issue(CODENAME))).as("another challenge").isTrue();
    }

    @Test
    void aResumeChallengeIsBoundToTheFirstCodenameAndOneFoundNowhereIsUsedUp() {
        var resume = challenges.issue(Challenges.RESUME, "", 0);
        var met = challenges.verify(Challenges.RESUME, resume.token(), "", null, Integer.toString(resume.a() + resume.b()))
                .orElseThrow();
        assertThat(challenges.use(met, CODENAME)).isTrue();
        assertThat(challenges.use(met, "zoo zoo zoo zoo zoo")).as("another codename").isFalse();
        assertThat(challenges.use(met, CODENAME)).as("the same one again").isTrue();

        var guess = challenges.issue(Challenges.RESUME, "", 0);
        var guessed = challenges.verify(Challenges.RESUME, guess.token(), "", null, Integer.toString(guess.a() + guess.b()))
                .orElseThrow();
        assertThat(challenges.use(guessed, "zoo zoo zoo zoo zoo")).isTrue();
        challenges.useUp(guessed);
        assertThat(challenges.use(guessed, "zoo zoo zoo zoo zoo")).as("the same guess").isFalse();
        assertThat(challenges.use(guessed, CODENAME)).as("another guess").isFalse();
    }

    @Test
    void aFloodOfTypedChallengesCannotPushOutAWorkedOne() {
        var resume = challenges.issue(Challenges.RESUME, "", 0);
        var met = challenges.verify(Challenges.RESUME, resume.token(), "", ChatClient.work(resume.token(), BITS), null)
                .orElseThrow();
        assertThat(met.worked()).isTrue();
        for (var i = 0; i < Challenges.USES; i++) {
            assertThat(challenges.use(met, CODENAME)).isTrue();
        }
        for (var i = 0; i <= Challenges.REMEMBERED; i++) {
            var typed = challenges.issue(CODENAME);
            assertThat(challenges.use(typed)).isTrue();
        }
        assertThat(challenges.use(met, CODENAME)).as("worked, used up, and flooded over").isFalse();
    }

    @Test
    void countsLeadingZeroBits() {
        assertThat(Challenges.leadingZeroBits(new byte[] {0, 0, (byte) 0x80})).isEqualTo(16);
        assertThat(Challenges.leadingZeroBits(new byte[] {0, 0x01})).isEqualTo(15);
        assertThat(Challenges.leadingZeroBits(new byte[] {0x10})).isEqualTo(3);
        assertThat(Challenges.leadingZeroBits(new byte[] {0, 0})).isEqualTo(16);
    }

    private Challenges at(Instant now) {
        return new Challenges(protection, Clock.fixed(now, ZoneOffset.UTC), BITS);
    }

    private static DataProtection keyedHash() {
        var protection = mock(DataProtection.class);
        when(protection.blindIndex(anyString(), anyString()))
                .thenAnswer(call -> Challenges.sha256("key|" + call.getArgument(0) + "|" + call.getArgument(1)));
        // one index key, never rotated
        when(protection.blindIndexesAfter(anyString(), anyString(), any()))
                .thenAnswer(call -> List.of(Challenges.sha256("key|" + call.getArgument(0) + "|" + call.getArgument(1))));
        return protection;
    }
}
