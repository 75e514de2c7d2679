package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class SiteSettingsTests {

    static final String ONION = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion";

    @Test
    void acceptsOfficialChannelsAndDropsTheAtOfBotNames() {
        var settings = settings(List.of("+380 44 350 89 17"), List.of("@example_bot"), List.of(URI.create("https://m.example/")), ONION);

        assertThat(settings.telegramBots()).containsExactly("example_bot");
        assertThat(settings.onionUrl()).hasToString("http://" + ONION + "/");
    }

    @Test
    void rejectsAnOnionAddressThatIsNotAV3HostName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(List.of(), List.of(), List.of(), "http://" + ONION))
                .withMessageContaining("lifeline.site.onion-address");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(List.of(), List.of(), List.of(), "short.onion"));
    }

    @Test
    void rejectsBotNamesPhoneNumbersAndMirrorsThatCannotBeOurs() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(List.of(), List.of("@bad bot"), List.of(), null))
                .withMessageContaining("lifeline.site.telegram-bots");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(List.of("call us"), List.of(), List.of(), null))
                .withMessageContaining("lifeline.site.phones");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(List.of(), List.of(), List.of(URI.create("/relative/")), null))
                .withMessageContaining("lifeline.site.mirrors");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(List.of(), List.of(), List.of(URI.create("javascript:alert(1)")), null));
    }

    @Test
    void rejectsAChannelListValidityTooShortForMirrorsToKeepUp() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SiteSettings(List.of(), List.of(), List.of(), List.of(), null, List.of(), null,
                        java.time.Duration.ofHours(47)))
                .withMessageContaining("lifeline.site.channel-list-validity");
    }

    @Test
    void linksChatToEachLiveEntryPointInThePagesLanguage() {
        assertThat(ChannelLinks.chat(URI.create("https://live.example"), SiteLanguage.of("ko"))).hasToString("https://live.example/ko/chat");
        assertThat(ChannelLinks.chat(URI.create("https://live.example/help/"), SiteLanguage.of("ru"))).hasToString("https://live.example/help/ru/chat");
    }

    private static SiteSettings settings(List<String> phones, List<String> bots, List<URI> mirrors, String onion) {
        return new SiteSettings(phones, List.of(), bots, mirrors, onion, List.of(), null, java.time.Duration.ofDays(30));
    }
}
