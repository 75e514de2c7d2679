package org.lifeline.site;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The running server with every kind of official channel configured. One annotation, so that the site's
 * integration and browser tests share one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lifeline.site.phones=+380 44 350 89 17,+380 67 000 00 01",
        "lifeline.site.whatsapp=+380 67 000 00 02",
        "lifeline.site.telegram-bots=@lifeline_example_bot",
        "lifeline.site.mirrors=https://mirror-one.example/,https://mirror-two.example/help/",
        "lifeline.site.onion-address=" + SiteTest.ONION,
        "lifeline.site.chat-entry-points=https://live.example/,http://" + SiteTest.ONION + "/"})
@interface SiteTest {

    String ONION = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion";

    /** Every absolute address the pages may link to: the channels above, and nothing else. */
    final class OfficialLinks {

        private OfficialLinks() {
        }

        static Set<String> all() {
            var links = new HashSet<String>(Set.of(
                    "tel:+380443508917", "tel:+380670000001", "https://t.me/lifeline_example_bot",
                    "https://mirror-one.example/", "https://mirror-two.example/help/", "http://" + ONION + "/"));
            for (var language : SiteLanguage.all()) {
                links.add("https://live.example/" + language.code() + "/chat");
                links.add("http://" + ONION + "/" + language.code() + "/chat");
            }
            return links;
        }
    }
}
