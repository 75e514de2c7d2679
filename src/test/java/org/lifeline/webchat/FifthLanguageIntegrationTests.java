package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.testing.LifelineProcess;

/**
 * A language is files, no code: the server, given only the files of a test language ({@code qaa}, reserved for
 * local use) in a class path directory of their own ({@code src/test/resources/fifth-language/}), lists it in its
 * language menus, serves the site's pages in it and walks a requester through a flow in it in the web chat.
 */
class FifthLanguageIntegrationTests {

    @Test
    void aLanguageAddedAsFilesServesTheSiteAndRunsAFlow(@TempDir Path data) throws Exception {
        try (var server = LifelineProcess.start(data.resolve("server.log"), List.of("--lifeline.data-dir=" + data),
                List.of(languageFiles()))) {
            var http = HttpClient.newHttpClient();
            var home = http.send(HttpRequest.newBuilder(server.uri("/qaa/")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(home.statusCode()).as(server.logTail()).isEqualTo(200);
            var page = Jsoup.parse(home.body());
            assertThat(page.select("h1").text()).isEqualTo("Testish: you can leave the war alive");
            assertThat(page.selectFirst("html").attr("lang")).isEqualTo("qaa");
            var russian = Jsoup.parse(http.send(HttpRequest.newBuilder(server.uri("/ru/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(russian.select("a[hreflang=qaa]").eachText()).as("the other pages' language menus").contains("Testish");

            var requester = new ChatClient(server.port(), "qaa");
            requester.start();
            var chat = requester.page();
            assertThat(chat.select(".transcript .ours").text()).contains("Testish hello");
            assertThat(requester.choose(chat, 0).statusCode()).isEqualTo(303);
            assertThat(requester.page().select(".transcript .ours")).as("the flow's next question").hasSizeGreaterThan(1);
        }
    }

    private static Path languageFiles() throws URISyntaxException {
        return Path.of(FifthLanguageIntegrationTests.class.getClassLoader().getResource("fifth-language").toURI());
    }
}
