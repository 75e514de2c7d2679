package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A script resumes made-up chats by the typed sum, which it reads off the page and which costs it nothing, until the
 * node refuses more: a visitor whose browser does the work still resumes his. Small budgets (5 resumes a minute) so
 * that the script spends them; a server of its own, so that no other test finds the sum's budget spent. (Starts have
 * no budget: see WebChatStartIntegrationTests.)
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lifeline.webchat.resumes-per-minute=5",
                "lifeline.webchat.failed-resumes-per-minute=5"})
class WebChatTypedFloodIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void resumesByTheTypedSumCannotSpendTheBudgetOfResumesByWork() {
        var codename = new ChatClient(port, "en").begin();
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
}
