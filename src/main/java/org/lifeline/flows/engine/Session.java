package org.lifeline.flows.engine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one requester is in a flow: a plain value the host persists between inputs (see {@link #encode}), so a
 * restart resumes at the same node with the answers kept. It names the flow version it runs on, so a session
 * finishes on the version it started even after a newer one is deployed.
 *
 * @param flow the flow now running (a menu may have moved on to another flow)
 * @param version that flow's version
 * @param entryFlow the flow the session started with, where {@code /restart} returns
 * @param node the node waiting for an answer (or, before the language is known, the node to enter)
 * @param language the requester's language, null until known
 * @param answers what the requester answered, by field name; locations spread over {@code field.*}
 * @param waitingSince when the last input arrived, for reminders and expiry
 */
public record Session(String flow, int version, String entryFlow, String node, String language, Status status,
                      Pending pending, int retries, Instant waitingSince, boolean reminded, boolean caseOpened,
                      boolean photos, String campaign, Map<String, String> answers) {

    public enum Status {
        ACTIVE, HANDED_OVER, ENDED
    }

    /** A question the engine asked in between the flow's own nodes. */
    public enum Pending {
        NONE, LANGUAGE, RETRY_OFFER
    }

    private static final String ANSWER = "answer.";

    public Session {
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** Ended or handed over: the flow asks nothing more, though commands still work. */
    public boolean finished() {
        return status != Status.ACTIVE;
    }

    /** A flat map of strings, for a JSON column or a key-value store. */
    public Map<String, String> toMap() {
        var map = new LinkedHashMap<String, String>();
        map.put("flow", flow);
        map.put("version", Integer.toString(version));
        map.put("entryFlow", entryFlow);
        map.put("node", node);
        if (language != null) {
            map.put("language", language);
        }
        map.put("status", status.name());
        map.put("pending", pending.name());
        map.put("retries", Integer.toString(retries));
        map.put("waitingSince", waitingSince.toString());
        map.put("reminded", Boolean.toString(reminded));
        map.put("caseOpened", Boolean.toString(caseOpened));
        map.put("photos", Boolean.toString(photos));
        if (campaign != null) {
            map.put("campaign", campaign);
        }
        answers.forEach((name, value) -> map.put(ANSWER + name, value));
        return map;
    }

    public static Session fromMap(Map<String, String> map) {
        var answers = new LinkedHashMap<String, String>();
        map.forEach((key, value) -> {
            if (key.startsWith(ANSWER)) {
                answers.put(key.substring(ANSWER.length()), value);
            }
        });
        return new Session(required(map, "flow"), Integer.parseInt(required(map, "version")),
                required(map, "entryFlow"), required(map, "node"), map.get("language"),
                Status.valueOf(required(map, "status")), Pending.valueOf(required(map, "pending")),
                Integer.parseInt(required(map, "retries")), Instant.parse(required(map, "waitingSince")),
                Boolean.parseBoolean(map.get("reminded")), Boolean.parseBoolean(map.get("caseOpened")),
                Boolean.parseBoolean(map.get("photos")), map.get("campaign"), answers);
    }

    /** One line per entry, {@code key=value} with backslash escapes: text for any column, no library needed. */
    public String encode() {
        var out = new StringBuilder();
        toMap().forEach((key, value) -> out.append(escape(key)).append('=').append(escape(value)).append('\n'));
        return out.toString();
    }

    public static Session decode(String encoded) {
        var map = new LinkedHashMap<String, String>();
        for (var line : encoded.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int split = separator(line);
            if (split < 0) {
                throw new IllegalArgumentException("Not an encoded session line: no '='");
            }
            map.put(unescape(line.substring(0, split)), unescape(line.substring(split + 1)));
        }
        return fromMap(map);
    }

    private static String required(Map<String, String> map, String key) {
        var value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Encoded session lacks '" + key + "'");
        }
        return value;
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("=", "\\e");
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
