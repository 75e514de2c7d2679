package org.lifeline.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The hash chain over the access record: each entry's hash is SHA-256 of the previous entry's hash, its sequence
 * number and its fields, each length-prefixed so that no two different entries encode alike. Changing, removing,
 * inserting or reordering an entry changes every hash after it; rewriting the whole chain is caught by comparing
 * its head with one exported earlier ({@code audit head}).
 */
final class AccessChain {

    static final String GENESIS = "0".repeat(64);
    private static final Pattern HEAD = Pattern.compile("(\\d{1,18}):([0-9a-f]{64})");

    private AccessChain() {
    }

    /** The newest entry: its sequence number and hash, the form {@code audit head} prints. */
    record Head(long seq, String hash) {

        static Head parse(String text) {
            var matcher = HEAD.matcher(text == null ? "" : text.strip());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("A head is <sequence>:<64 hex digits>, as `audit head` prints it");
            }
            return new Head(Long.parseLong(matcher.group(1)), matcher.group(2));
        }

        @Override
        public String toString() {
            return seq + ":" + hash;
        }
    }

    static String hash(String previous, long seq, Instant at, UUID actor, String action, String subject,
            String outcome) {
        var bytes = new ByteArrayOutputStream();
        field(bytes, previous);
        field(bytes, Long.toString(seq));
        field(bytes, at.toString());
        field(bytes, actor == null ? null : actor.toString());
        field(bytes, action);
        field(bytes, subject);
        field(bytes, outcome);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
            return;
        }
        var bytes = value.getBytes(UTF_8);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
