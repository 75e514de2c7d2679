package org.lifeline.flows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lifeline.site.ChannelList;

/**
 * Fills the {@code official.*} placeholders of the {@code /verify} answer from the signed channel list: each kind
 * of channel as the list has it, so that the answer can be compared with the list character by character; a dash
 * where we have none of a kind, because "no WhatsApp" is worth saying too: any WhatsApp account is then a fake.
 */
final class OfficialChannelTexts {

    static final String NONE = "—";
    static final List<String> PLACEHOLDERS = List.of("official.telegram", "official.whatsapp", "official.phones",
            "official.chat", "official.mirrors", "official.onion", "official.signing_key");

    private OfficialChannelTexts() {
    }

    static Map<String, String> values(ChannelList list) {
        var channels = list.channels();
        var values = new LinkedHashMap<String, String>();
        values.put("official.telegram", join(channels.telegramBots()));
        values.put("official.whatsapp", join(channels.whatsapp()));
        values.put("official.phones", join(channels.phones()));
        values.put("official.chat", join(channels.chat()));
        values.put("official.mirrors", join(channels.mirrors()));
        values.put("official.onion", channels.onion() == null ? NONE : channels.onion());
        values.put("official.signing_key", list.fingerprint());
        return values;
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? NONE : String.join(", ", values);
    }
}
