package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The review's floods of the path without JavaScript (F5), by one script that reads the sum off the page: resumes
 * with made-up codenames, resumes of its own chat, posts without work from its session, and starts with nothing
 * said. Meanwhile a visitor without JavaScript resumes and posts, and the operators' queue stays clear. Small
 * budgets (6 resumes, 6 posts without work a minute, 3 of them per session) so that the script could spend them; a
 * server of its own, so that no other test finds them spent.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lifeline.webchat.resumes-per-minute=6", "lifeline.webchat.posts-per-minute=6",
                "lifeline.webchat.plain-posts-per-session-per-minute=3"})
class WebChatNoScriptFloodIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    WebChat chat;

    @Autowired
    ConversationManagement conversations;

    @Test
    void madeUpCodenamesDoNotSpendTheResumesOfChatsThatExist() {
        var codename = new ChatClient(port, "en").begin();
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 12; i++) {
            answers.add(new ChatClient(port, "en").resume("no such chat " + i).statusCode());
        }
        assertThat(answers).as("twice as many made-up codenames as resumes a minute").containsOnly(422);

        assertThat(new ChatClient(port, "en").resume(codename).statusCode()).as("the visitor's resume, the sum typed")
                .isEqualTo(303);
    }

    @Test
    void oneChatResumedOverAndOverDoesNotSpendEveryonesResumes() {
        var own = new ChatClient(port, "uk").begin();
        var visitors = new ChatClient(port, "uk").begin();
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 10 && !answers.contains(429); i++) {
            answers.add(new ChatClient(port, "uk").resume(own).statusCode());
        }
        assertThat(answers).as("the script resumes its own chat").startsWith(303).endsWith(429);

        assertThat(new ChatClient(port, "uk").resume(visitors).statusCode()).as("the visitor's resume, the sum typed")
                .isEqualTo(303);
    }

    @Test
    void oneSessionPostingWithoutWorkDoesNotSpendTheNodesPostsWithoutWork() {
        var script = new ChatClient(port, "ru");
        script.start();
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 10 && !answers.contains(429); i++) {
            answers.add(script.say(script.page(), "flood " + i).statusCode());
        }
        assertThat(answers).as("the script's messages, without work").startsWith(303).endsWith(429);

        var visitor = new ChatClient(port, "ru");
        visitor.start();
        assertThat(visitor.say(visitor.page(), "Здравствуйте").statusCode()).as("the visitor's message, without work")
                .isEqualTo(303);
    }

    @Test
    void aStartWithNothingSaidPutsNothingInTheOperatorsQueue() {
        var empty = new ChatClient(port, "en");
        empty.start();
        var spoke = new ChatClient(port, "en");
        spoke.start();
        assertThat(spoke.say(spoke.page(), "I need help").statusCode()).isEqualTo(303);

        var wrote = conversationOf(spoke);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> conversations.active().stream().map(c -> c.id()).toList(), ids -> ids.contains(wrote));
        var startedOnly = chat.session(empty.token(), false).orElseThrow();
        assertThat(conversations.findContact("webchat", startedOnly.senderId())).as("the chat only started: stored nowhere")
                .isEmpty();
    }

    private org.lifeline.conversations.ConversationId conversationOf(ChatClient client) {
        return WebChatTestSupport.conversationOf(chat, conversations, client.token());
    }
}
