package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Sessions, once started, are a flooder's capital: a script posts from one without the work the page's script
 * finds, which costs it nothing, until the node refuses more; a visitor whose browser does the work still posts.
 * Small budgets (6 posts a minute of each kind) so that the script spends them; a server of its own, so that no
 * other test finds them spent.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lifeline.webchat.posts-per-minute=6")
class WebChatPostFloodIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void postsWithoutWorkCannotSpendTheBudgetOfPostsWithWorkAndOneProofPaysOnce() {
        var visitor = new ChatClient(port, "ru");
        assertThat(visitor.startWithWork().statusCode()).as("the visitor starts").isEqualTo(303);
        var spent = ChatClient.paid(visitor.page().getElementById("latest"));
        spent.put("text", "Здравствуйте");
        assertThat(visitor.post(spent).statusCode()).as("a message with the work done").isEqualTo(303);

        var script = new ChatClient(port, "ru");
        script.start();
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 20 && !answers.contains(429); i++) {
            answers.add(script.say(script.page(), "flood " + i).statusCode());
        }
        assertThat(answers).as("the script's messages, without work").contains(303).endsWith(429);
        // the visitor's form and its work, from the script's session: a form of another session is no post of his
        var replayed = new java.util.LinkedHashMap<>(spent);
        replayed.put("text", "flood with his work");
        assertThat(script.post(replayed).statusCode()).as("another session's form and work").isEqualTo(422);
        // a form the script made up, with work found on it beforehand: not one the node gave out
        var madeUp = new java.util.LinkedHashMap<>(spent);
        madeUp.put("form", "AAAAAAAAAAAAAAAAAAAAAA." + java.time.Instant.now().getEpochSecond() + ".0.forged");
        madeUp.put("work", ChatClient.work(madeUp.get("form"), 24));
        assertThat(script.post(madeUp).statusCode()).as("a form token not ours").isEqualTo(422);
        // his double click, sent again while the node refuses posts without work: stored once, and not refused
        assertThat(visitor.post(spent).statusCode()).as("the visitor's form sent again").isEqualTo(303);

        assertThat(visitor.sayWithWork(visitor.page(), "Я хочу сдаться").statusCode())
                .as("the visitor's next message, with the work done").isEqualTo(303);
    }

    @Test
    void theWorkAskedForAMessageRisesAsMessagesWithWorkFillTheirBudget() {
        var visitor = new ChatClient(port, "uk");
        visitor.start();
        var bits = new ArrayList<Integer>();
        for (int i = 0; i < 5 && (bits.isEmpty() || bits.getLast().equals(bits.getFirst())); i++) {
            var page = visitor.page();
            bits.add(Integer.parseInt(page.getElementById("latest").attr("data-bits")));
            assertThat(visitor.sayWithWork(page, "повідомлення " + i).statusCode()).as("message %d", i).isEqualTo(303);
        }
        bits.add(Integer.parseInt(visitor.page().getElementById("latest").attr("data-bits")));
        assertThat(bits.getFirst()).as("the work asked at first").isGreaterThanOrEqualTo(14);
        assertThat(bits.getLast()).as("the work asked, message by message: %s", bits).isGreaterThan(bits.getFirst());
    }
}
