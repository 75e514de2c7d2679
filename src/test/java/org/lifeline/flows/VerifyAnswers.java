package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import org.lifeline.site.ChannelList;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a {@code /verify} answer against the signed channel list itself (verified with its public key, read as
 * JSON), not against the objects the answer was made from, in every channel's tests.
 */
public final class VerifyAnswers {

    public static final String ONION = "lifelineverifyanswerstestsonionaddressabcdefghijklmnopqr.onion";

    private VerifyAnswers() {
    }

    /** Official channels of every kind, so that no line of the answer can pass by being empty. */
    public static void registerChannels(DynamicPropertyRegistry registry, String telegramBot) {
        registerChannels(registry, telegramBot, "https://mirror-one.example/,https://mirror-two.example/help/");
    }

    /** The same with these mirrors (comma-separated). */
    public static void registerChannels(DynamicPropertyRegistry registry, String telegramBot, String mirrors) {
        registry.add("lifeline.site.phones", () -> "+380 44 350 89 17,+380 67 000 00 01");
        registry.add("lifeline.site.whatsapp", () -> "+380 67 000 00 02");
        registry.add("lifeline.site.telegram-bots", () -> "@" + telegramBot + ",@lifeline_other_bot");
        registry.add("lifeline.site.mirrors", () -> mirrors);
        registry.add("lifeline.site.onion-address", () -> ONION);
        registry.add("lifeline.site.chat-entry-points", () -> "https://live.example/");
    }

    /** The first line of the answer in each language, with the configured service name. */
    public static String heading(String language) {
        return switch (language) {
            case "ru" -> "Официальные каналы Линия жизни — только эти:";
            case "uk" -> "Офіційні канали Лінія життя — лише ці:";
            case "ko" -> "생명선의 공식련락통로는 이것뿐입니다:";
            default -> "These are the only official channels of Lifeline:";
        };
    }

    /**
     * The answer names exactly the channels of the signed list, kind by kind and in its order, and the fingerprint of
     * the key that verifies it.
     */
    public static void assertListsExactlyTheSignedChannels(String answer, ChannelList list) throws GeneralSecurityException {
        var payload = JsonMapper.shared().readTree(ChannelList.verify(list.document(), list.publicKeyset()));
        var lines = answer.lines().toList();
        var kinds = List.of("telegram_bots", "whatsapp", "phones", "chat", "mirrors", "onion");
        var named = new ArrayList<String>();
        for (int i = 0; i < kinds.size(); i++) {
            var line = lines.get(i + 1);
            named.add(line.substring(line.indexOf(": ") + 2));
        }
        var signed = kinds.stream().map(kind -> join(payload.path(kind))).toList();
        assertThat(named).as("the channels the answer names, kind by kind").isEqualTo(signed);
        assertThat(lines.getLast()).isEqualTo(ChannelList.fingerprint(list.publicKeyset()));
        assertThat(answer).contains("/.well-known/lifeline-channels.json");
    }

    private static String join(JsonNode node) {
        if (node.isString()) {
            return node.asString();
        }
        var values = new ArrayList<String>();
        node.forEach(value -> values.add(value.asString()));
        return values.isEmpty() ? "—" : String.join(", ", values);
    }
}
