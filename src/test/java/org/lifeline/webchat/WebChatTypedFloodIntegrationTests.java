package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A script starts chats by the typed sum, which it reads off the page and which costs it nothing, until the node
 * refuses more: a visitor whose browser does the work still starts his. Small budgets (5 starts a minute) so that
 * the script spends them; a server of its own, so that no other test finds the sum's budget spent.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lifeline.webchat.starts-per-minute=5", "lifeline.webchat.resumes-per-minute=5",
                "lifeline.webchat.failed-resumes-per-minute=5"})
class WebChatTypedFloodIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void startsByTheTypedSumCannotSpendTheBudgetOfStartsByWork() {
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 20 && !answers.contains(429); i++) {
            var script = new ChatClient(port, "ru");
            var page = script.page();
            var fields = ChatClient.fields(page.getElementById("start"));
            fields.put("answer", Integer.toString(ChatClient.sum(page.selectFirst("label[for=answer]").text())));
            answers.add(script.post(fields).statusCode());
        }
        assertThat(answers).as("the script's starts, the sum typed").contains(303, 429);

        var visitor = new ChatClient(port, "ru").startWithWork();

        assertThat(visitor.statusCode()).as("a start with the work done").isEqualTo(303);
    }

    @Test
    void resumesByTheTypedSumCannotSpendTheBudgetOfResumesByWork() {
        var codename = new ChatClient(port, "en").start();
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 20 && !answers.contains(429); i++) {
            answers.add(new ChatClient(port, "en").resume("no such chat " + i).statusCode());
        }
        assertThat(answers).as("the script's resumes, the sum typed").contains(429);

        var visitor = new ChatClient(port, "en");
        var form = visitor.page().getElementById("resume");
        var fields = ChatClient.fields(form);
        fields.put("work", ChatClient.work(fields.get("challenge"), Integer.parseInt(form.attr("data-bits"))));
        fields.put("codename", codename);

        assertThat(visitor.post(fields).statusCode()).as("a resume with the work done").isEqualTo(303);
    }

    @Test
    void theWorkAskedRisesAsStartsByWorkFillTheirBudget() {
        var bits = new ArrayList<Integer>();
        for (int i = 0; i < 4; i++) {
            var browser = new ChatClient(port, "uk");
            var form = browser.page().getElementById("start");
            bits.add(Integer.parseInt(form.attr("data-bits")));
            var fields = ChatClient.fields(form);
            fields.put("work", ChatClient.work(fields.get("challenge"), bits.getLast()));
            assertThat(browser.post(fields).statusCode()).as("start %d with the work done", i).isIn(303, 429);
        }
        assertThat(bits.getLast()).as("the work asked, start by start: %s", bits).isGreaterThan(bits.getFirst());
    }
}
