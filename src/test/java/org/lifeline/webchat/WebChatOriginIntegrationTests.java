package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Where a post to the chat may come from when the browser sends no {@code Sec-Fetch-Site} (older browsers), what a
 * resume costs, and how messages are isolated on the page.
 */
@WebChatTest
class WebChatOriginIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void refusesAResumePlantedFromAnotherOriginWithoutSecFetchSite() {
        var victim = new ChatClient(port, "en");
        var attackers = victim.start();

        for (var origin : new String[] {"http://evil.example", "null", "https://evil.example:443"}) {
            var planted = new ChatClient(port, "en").header("Origin", origin);
            assertThat(planted.resume(attackers).statusCode()).as("Origin: %s", origin).isEqualTo(403);
            assertThat(planted.last.headers().allValues("Set-Cookie")).isEmpty();
        }
        var byReferer = new ChatClient(port, "en").header("Referer", "http://evil.example/lure.html")
                .header("Origin", "http://evil.example");
        assertThat(byReferer.resume(attackers).statusCode()).isEqualTo(403);
    }

    @Test
    void refusesAForcedLeaveFromAnotherOriginAndPostsNamingNoOrigin() {
        var client = new ChatClient(port, "en");
        client.start();
        var cookie = WebChatTestSupport.COOKIE + "=" + client.token();

        var forcedByReferer = new ChatClient(port, "en").header("Cookie", cookie)
                .header("Referer", "http://evil.example/lure.html");
        // the JDK client sends no Origin of its own; without one, the Referer decides
        assertThat(forcedByReferer.post(Map.of("op", "leave")).statusCode()).isEqualTo(403);
        var anonymous = new ChatClient(port, "en").header("Cookie", cookie).header("Origin", "null");
        assertThat(anonymous.post(Map.of("op", "leave")).statusCode()).isEqualTo(403);

        assertThat(client.page().getElementById("live")).as("still in the chat").isNotNull();
        var sameSite = new ChatClient(port, "en").header("Cookie", cookie)
                .header("Referer", "http://127.0.0.1:" + port + "/en/chat");
        assertThat(sameSite.post(Map.of("op", "leave")).statusCode()).as("from the chat's own page").isEqualTo(303);
    }

    @Test
    void theChatPagesSendTheirReferrerToThemselvesOnly() {
        var client = new ChatClient(port, "en");
        client.page();
        assertThat(client.last.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(Jsoup.parse(client.last.body()).selectFirst("meta[name=referrer]").attr("content"))
                .isEqualTo("same-origin");
    }

    @Test
    void resumingWithoutMeetingTheChallengeIsRefused() {
        var first = new ChatClient(port, "en");
        var codename = first.begin();

        var free = new ChatClient(port, "en");
        assertThat(free.post(Map.of("op", "resume", "codename", codename)).statusCode()).isEqualTo(422);
        assertThat(free.last.headers().allValues("Set-Cookie")).isEmpty();
        var fields = ChatClient.resumeForm(free.page());
        fields.put("answer", Integer.toString(Integer.parseInt(fields.get("answer")) + 1));
        fields.put("codename", codename);
        assertThat(free.post(fields).statusCode()).as("a wrong sum").isEqualTo(422);
        assertThat(Jsoup.parse(free.last.body()).select(".notice").text()).contains("answer was not right");

        assertThat(free.resume(codename).statusCode()).as("with the sum").isEqualTo(303);
    }

    @Test
    void aSolvedResumeChallengeServesOneGuess() {
        var client = new ChatClient(port, "en");
        var fields = ChatClient.resumeForm(client.page());
        fields.put("codename", "zoo zoo zoo zoo a");
        assertThat(client.post(fields).statusCode()).isEqualTo(422);
        assertThat(Jsoup.parse(client.last.body()).select(".notice").text()).contains("No chat was found");
        for (var i = 1; i < Challenges.USES; i++) {
            fields.put("codename", "zoo zoo zoo zoo " + "abcdefghij".charAt(i));
            assertThat(client.post(fields).statusCode()).isEqualTo(422);
            assertThat(Jsoup.parse(client.last.body()).select(".notice").text()).as("guess %d", i + 1)
                    .contains("answer was not right");
        }
    }

    @Test
    void isolatesTheDirectionOfEveryMessage() {
        var client = new ChatClient(port, "en");
        client.start();
        var page = client.page();
        client.say(page, "\u202Egnp.exe");

        var lines = client.page().select(".transcript .said");
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.attr("dir")).isEqualTo("auto"));
    }
}
