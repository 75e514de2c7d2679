package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.telephony.FakeTwilio.AUTH_TOKEN;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.flows.VerifyAnswers;
import org.lifeline.site.ChannelList;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /verify} by SMS, as on every other channel: the answer, in the language his letters chose, names exactly
 * the channels of the signed list, and then the menu comes again.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmsVerifyIntegrationTests {

    @RegisterExtension
    static final FakeTwilio twilio = FakeTwilio.start();
    static final String LINE = "+15005550202";

    @DynamicPropertySource
    static void telephonyProperties(DynamicPropertyRegistry registry) {
        twilio.register(registry, Map.of(LINE, "ru"));
        VerifyAnswers.registerChannels(registry, "lifeline_sms_test_bot");
    }


    @LocalServerPort
    int port;

    @Autowired
    ChannelList channelList;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void verifyAnswersInRussianWithExactlyTheSignedChannelsAndSendsTheMenuAgain() throws Exception {
        var number = FakeTwilio.newNumber();
        send(number, "Здравствуйте");
        assertThat(message(number, 1)).contains("Что вам нужно?");

        send(number, "/verify");

        var answer = answerBeforeTheMenu(number, 2);
        assertThat(answer.lines().findFirst()).hasValue(VerifyAnswers.heading("ru"));
        VerifyAnswers.assertListsExactlyTheSignedChannels(answer, channelList);
    }

    @Test
    void verifyAsTheFirstMessageIsAnsweredInTheLanguageOfTheLineBeforeTheMenu() throws Exception {
        var number = FakeTwilio.newNumber();

        send(number, "/verify");

        var answer = answerBeforeTheMenu(number, 1);
        assertThat(answer.lines().findFirst()).hasValue(VerifyAnswers.heading("ru"));
        VerifyAnswers.assertListsExactlyTheSignedChannels(answer, channelList);
    }

    private void send(String number, String text) throws Exception {
        var response = http.send(FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), number, LINE, text), AUTH_TOKEN),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /**
     * The answer from the n-th message on, up to the menu that follows it: longer than one SMS may carry, it comes as
     * several, each cut at a line break or a space (the cuts between its lines are line breaks again here).
     */
    private String answerBeforeTheMenu(String number, int n) throws InterruptedException {
        var parts = new ArrayList<String>();
        for (var next = n; ; next++) {
            var message = message(number, next);
            if (message.contains("Что вам нужно?")) {
                break;
            }
            assertThat(next - n).as("the answer comes in a few messages, then the menu").isLessThan(5);
            parts.add(message);
        }
        assertThat(parts).as("an answer before the menu").isNotEmpty();
        return String.join("\n", parts);
    }

    /** The n-th message sent to this number, once it has gone out. */
    private String message(String number, int n) throws InterruptedException {
        assertThat(twilio.awaitCalls(calls -> twilio.sentTo(number).size() >= n, Duration.ofSeconds(20)))
                .as("message %d", n).isTrue();
        return twilio.sentTo(number).get(n - 1).form().get("Body");
    }
}
