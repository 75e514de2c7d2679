package org.lifeline.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook updates as Telegram sends them (https://core.telegram.org/bots/api#update) from people going through
 * the real flows: soldiers taking the surrender intake from a campaign link, relatives starting an inquiry,
 * someone reading about captivity, someone who just types. Each generator is used by one client thread; it keeps
 * a pool of chats in progress and moves them along in turn, so that every chat stays well under the per-sender
 * flood limit, except one chatty chat per generator that writes far more often, as a flooder would.
 */
final class TelegramTraffic {

    /** Chats in progress per generator: with 12 clients at 400 updates a second, each chat writes every ~3 s. */
    static final int ACTIVE_CHATS = 100;
    /** One update in this many comes from the generator's chatty chat. */
    static final int CHATTY_EVERY = 25;

    private static final AtomicLong UPDATE_IDS = new AtomicLong(System.currentTimeMillis() * 10);
    private static final AtomicLong CHAT_IDS = new AtomicLong(300_000_000L + System.nanoTime() % 100_000_000L);
    private static final String[][] PEOPLE = {
            {"ru", "Алексей"}, {"ru", "Дмитрий"}, {"ko", "철수"}, {"ko", "영호"}, {"uk", "Олена"}, {"en", "Ivan"}};

    private final JsonMapper json;
    private final SplittableRandom random;
    private final List<Chat> active = new ArrayList<>();
    private final Chat chatty;
    private int turn;
    private long sent;

    TelegramTraffic(JsonMapper json, long seed) {
        this.json = json;
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < ACTIVE_CHATS; i++) {
            active.add(newChat());
        }
        this.chatty = new Chat(CHAT_IDS.incrementAndGet(), "ru", "Провокатор", null);
    }

    /** The next update some chat sends, as the JSON body of the webhook request. */
    String next() {
        sent++;
        if (sent % CHATTY_EVERY == 0) {
            return chatty.message(this, m -> m.put("text", "Ответьте! " + sent)).toString();
        }
        turn = (turn + 1) % active.size();
        var chat = active.get(turn);
        var update = chat.script.get(chat.step++).apply(chat);
        if (chat.step == chat.script.size()) {
            active.set(turn, newChat());
        }
        return update.toString();
    }

    private Chat newChat() {
        var person = PEOPLE[random.nextInt(PEOPLE.length)];
        var id = CHAT_IDS.incrementAndGet();
        List<Function<Chat, ObjectNode>> script = switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> List.of(start("kr-video-" + random.nextInt(1, 9)), press("surrender"), press("surrender"),
                    press("with_others"), type("3"), press("front"), location(), press("now"), press("here"),
                    type("Вы здесь?"));
            case 4, 5 -> List.of(start(null), press("surrender"), press("surrender"), press("alone"),
                    press("not_deployed"), type(person[1] + " Петров"), type("12.04.1999"), type("в/ч 12345"),
                    press("here"));
            case 6, 7 -> List.of(start("leaflet-" + random.nextInt(1, 4)), press("family"), type("Петров Сергей Иванович"),
                    type("03.07.2001"), type("155 бригада"), type("шрам на левой руке"));
            case 8 -> List.of(start(null), press("information"), press("treatment"), press("food"), press("medical"),
                    press("exchange"), press("done"));
            default -> List.of(start(null), type("здравствуйте"), type("как сдаться?"), press("person"),
                    type("алло"));
        };
        return new Chat(id, person[0], person[1], script);
    }

    private Function<Chat, ObjectNode> start(String payload) {
        return chat -> chat.message(this, m -> {
            var text = payload == null ? "/start" : "/start " + payload;
            m.put("text", text);
            m.putArray("entities").addObject().put("offset", 0).put("length", 6).put("type", "bot_command");
        });
    }

    private Function<Chat, ObjectNode> type(String text) {
        return chat -> chat.message(this, m -> m.put("text", text));
    }

    private Function<Chat, ObjectNode> location() {
        return chat -> chat.message(this, m -> m.putObject("location")
                .put("latitude", 47.9 + random.nextDouble(0.3)).put("longitude", 37.5 + random.nextDouble(0.5)));
    }

    /** A press on an inline button under the bot's last question, as a callback query. */
    private Function<Chat, ObjectNode> press(String data) {
        return chat -> {
            var update = json.createObjectNode().put("update_id", UPDATE_IDS.incrementAndGet());
            var callback = update.putObject("callback_query")
                    .put("id", Long.toString(chat.id * 1000 + chat.step))
                    .put("chat_instance", Long.toString(-chat.id * 7))
                    .put("data", data);
            chat.from(callback);
            var message = callback.putObject("message").put("message_id", chat.messageId).put("date", now()).put("text", "…");
            message.putObject("from").put("id", 7_000_000_009L).put("is_bot", true).put("first_name", "Lifeline")
                    .put("username", TelegramWebhookBenchmark.BOT);
            chat.chat(message);
            return update;
        };
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static final class Chat {

        final long id;
        final String language;
        final String name;
        final List<Function<Chat, ObjectNode>> script;
        int step;
        int messageId = 1;

        Chat(long id, String language, String name, List<Function<Chat, ObjectNode>> script) {
            this.id = id;
            this.language = language;
            this.name = name;
            this.script = script;
        }

        ObjectNode message(TelegramTraffic traffic, java.util.function.Consumer<ObjectNode> content) {
            var update = traffic.json.createObjectNode().put("update_id", UPDATE_IDS.incrementAndGet());
            var message = update.putObject("message").put("message_id", messageId++);
            from(message);
            chat(message);
            message.put("date", now());
            content.accept(message);
            return update;
        }

        void from(ObjectNode parent) {
            parent.putObject("from").put("id", id).put("is_bot", false).put("first_name", name).put("language_code", language);
        }

        void chat(ObjectNode parent) {
            parent.putObject("chat").put("id", id).put("first_name", name).put("type", "private");
        }
    }
}
