package org.lifeline.flows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lifeline.flows.engine.Session;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a flow {@link Session} is stored: the record as JSON (Jackson, with its own mapper, so that the application's
 * JSON settings never change what is stored). Sessions stored before as {@code key=value} lines, or as JSON with
 * times as ISO text, are still read, and are written back in today's form at their next step.
 */
public final class SessionFormat {

    /**
     * Times as seconds with their nanoseconds ({@code 1764583200.123456789}): parsing the ISO text they were stored as
     * before took a third of reading a session. Both are read.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.cfg.DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final String ANSWER = "answer.";

    private SessionFormat() {
    }

    public static String write(Session session) {
        return JSON.writeValueAsString(session);
    }

    public static Session read(String stored) {
        return stored.startsWith("{") ? JSON.readValue(stored, Session.class) : fromLines(stored);
    }

    /** The earlier form: one {@code key=value} a line, backslash escapes, answers under {@code answer.}. */
    private static Session fromLines(String stored) {
        var map = new LinkedHashMap<String, String>();
        var answers = new LinkedHashMap<String, String>();
        for (var line : stored.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int split = separator(line);
            if (split < 0) {
                throw new IllegalArgumentException("Not a stored session line: no '='");
            }
            var key = unescape(line.substring(0, split));
            (key.startsWith(ANSWER) ? answers : map).put(key.startsWith(ANSWER) ? key.substring(ANSWER.length()) : key,
                    unescape(line.substring(split + 1)));
        }
        return new Session(required(map, "flow"), Integer.parseInt(required(map, "version")),
                required(map, "entryFlow"), required(map, "node"), map.get("language"),
                Session.Status.valueOf(required(map, "status")), Session.Pending.valueOf(required(map, "pending")),
                Integer.parseInt(required(map, "retries")), Instant.parse(required(map, "waitingSince")),
                Boolean.parseBoolean(map.get("reminded")), Boolean.parseBoolean(map.get("caseOpened")),
                Boolean.parseBoolean(map.get("photos")), map.get("campaign"), answers,
                map.get("history") == null ? List.of() : List.of(map.get("history").split(",")));
    }

    private static String required(Map<String, String> map, String key) {
        var value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Stored session lacks '" + key + "'");
        }
        return value;
    }

    private static int separator(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '=') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 'e' -> '=';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
