package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A fresh installation: no channels configured yet. Nothing is announced that does not exist. */
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SiteWithoutChannelsIntegrationTests {

    private static final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void announcesNoOnionWhenNoneIsConfigured() throws Exception {
        for (var path : new String[] {"/", "/ru/", "/ko/contact"}) {
            assertThat(get(path).headers().firstValue("Onion-Location")).as(path).isEmpty();
        }
    }

    @Test
    void saysPlainlyThatNoChannelIsPublishedAndSignsTheEmptyList() throws Exception {
        var contact = PageLinks.parse(get("/en/contact").body());

        assertThat(contact.select("main").text()).contains("No channels have been published here yet");
        assertThat(contact.select("main a[href^=tel:], main a[href^=http]")).isEmpty();
        assertThat(ChannelList.verify(get("/.well-known/lifeline-channels.json").body(),
                get("/.well-known/lifeline-channels.pub.json").body()))
                .contains("\"phones\":[]", "\"onion\":null");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
