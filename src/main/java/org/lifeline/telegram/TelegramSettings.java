package org.lifeline.telegram;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeline.telegram.*}: the Bot API base URL (tests point it at a local fake) and any number of bots.
 *
 * @param perChatPerSecond outbound messages per second to one chat (Telegram: about 1)
 * @param perBotPerSecond outbound messages per second per bot (Telegram: about 30; 28 leaves room for network jitter,
 *        since a send that arrives early by a few milliseconds costs a 429 and a whole second's pause)
 * @param inboundPerSenderPerMinute updates one sender may send before the rest are stored as counted drops
 */
@ConfigurationProperties("lifeline.telegram")
public record TelegramSettings(
        @DefaultValue("https://api.telegram.org") URI apiUrl,
        @DefaultValue List<Bot> bots,
        @DefaultValue("1") double perChatPerSecond,
        @DefaultValue("28") double perBotPerSecond,
        @DefaultValue("30") int inboundPerSenderPerMinute,
        @DefaultValue("25s") Duration pollTimeout) {

    public TelegramSettings {
        bots = List.copyOf(bots);
        for (var bot : bots) {
            bot.check();
        }
    }

    public enum Mode { WEBHOOK, POLLING }

    /**
     * @param username the bot's username, as in {@code /webhooks/telegram/{username}}
     * @param token the Bot API token from BotFather
     * @param webhookSecret sent back by Telegram in {@code X-Telegram-Bot-Api-Secret-Token}
     */
    public record Bot(String username, String token, String webhookSecret, @DefaultValue("webhook") Mode mode) {

        private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,256}");

        void check() {
            if (username == null || !username.matches("[A-Za-z0-9_]{3,64}")) {
                throw new IllegalArgumentException("lifeline.telegram.bots[].username must be a Telegram bot username");
            }
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("lifeline.telegram.bots[] '" + username + "' has no token");
            }
            if (mode == Mode.WEBHOOK && (webhookSecret == null || !SECRET.matcher(webhookSecret).matches())) {
                throw new IllegalArgumentException("lifeline.telegram.bots[] '" + username
                        + "' in webhook mode needs a webhook-secret of 16 to 256 characters A-Z, a-z, 0-9, _ or -");
            }
        }

        /** How logs name the bot: its public @handle, never its token. */
        public String handle() {
            return "@" + username;
        }

        @Override
        public String toString() {
            return "Bot[" + username + ", " + mode + "]";
        }
    }

    public java.util.Optional<Bot> bot(String username) {
        return bots.stream().filter(b -> b.username().equalsIgnoreCase(username)).findFirst();
    }
}
