package org.lifeline.telephony;

import java.util.ArrayList;
import java.util.List;

/**
 * How a text travels as SMS (3GPP TS 23.038 / 23.040). A text written only in the GSM 7-bit default alphabet takes
 * 160 septets in one SMS, or 153 per segment once concatenated (the rest of each segment is its header); the
 * alphabet's extension characters ({@code € [ ] { } ^ ~ | \} and form feed) take two septets, an escape and the
 * character, which never part. Anything else, Cyrillic and Hangul included, goes as UCS-2: 70 UTF-16 code units in
 * one SMS, 67 per segment, a character outside the BMP (an emoji) two units that never part either.
 */
final class SmsSegments {

    private SmsSegments() {
    }

    enum Encoding { GSM_7, UCS_2 }

    static final int GSM_SINGLE = 160;
    static final int GSM_SEGMENT = 153;
    static final int UCS2_SINGLE = 70;
    static final int UCS2_SEGMENT = 67;

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "\f^{}\\[~]|€";

    static Encoding encoding(String text) {
        for (int i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
                return Encoding.UCS_2;
            }
        }
        return Encoding.GSM_7;
    }

    /** Septets (GSM 7-bit) or UTF-16 code units (UCS-2) the character at {@code i} takes. */
    private static int cost(String text, int i, Encoding encoding) {
        if (encoding == Encoding.GSM_7) {
            return EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
        }
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
    }

    /** Characters (UTF-16 units) the character at {@code i} spans. */
    private static int span(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
    }

    /** How many segments (billed SMS) the text takes as one message. */
    static int count(String text) {
        var encoding = encoding(text);
        var single = encoding == Encoding.GSM_7 ? GSM_SINGLE : UCS2_SINGLE;
        var units = 0;
        for (int i = 0; i < text.length(); i += span(text, i)) {
            units += cost(text, i, encoding);
        }
        if (units <= single) {
            return text.isEmpty() ? 0 : 1;
        }
        return segmentEnds(text, encoding).size();
    }

    /**
     * Where each concatenated segment ends (exclusive character index): filled up to 153 septets or 67 units,
     * never splitting an escape pair or a surrogate pair.
     */
    private static List<Integer> segmentEnds(String text, Encoding encoding) {
        var size = encoding == Encoding.GSM_7 ? GSM_SEGMENT : UCS2_SEGMENT;
        var ends = new ArrayList<Integer>();
        var used = 0;
        var i = 0;
        while (i < text.length()) {
            var cost = cost(text, i, encoding);
            if (used + cost > size) {
                ends.add(i);
                used = 0;
            }
            used += cost;
            i += span(text, i);
        }
        ends.add(text.length());
        return ends;
    }

    /**
     * The text as one or more messages of at most {@code maxSegments} segments each. A text that fits is left whole;
     * a longer one is cut at a segment boundary, moved back to the last space or line break in that last segment
     * when there is one, so that words stay whole where they can.
     */
    static List<String> split(String text, int maxSegments) {
        if (text.isEmpty() || count(text) <= maxSegments) {
            return List.of(text);
        }
        var encoding = encoding(text);
        var parts = new ArrayList<String>();
        var start = 0;
        while (start < text.length()) {
            var rest = text.substring(start);
            if (count(rest) <= maxSegments) {
                parts.add(rest);
                break;
            }
            // the boundary of the last segment that fits, measured from this part's start
            var restEnds = segmentEnds(rest, encoding);
            var cut = restEnds.get(maxSegments - 1);
            var segmentStart = maxSegments >= 2 ? restEnds.get(maxSegments - 2) : 0;
            var space = Math.max(rest.lastIndexOf(' ', cut - 1), rest.lastIndexOf('\n', cut - 1));
            if (space > segmentStart) {
                cut = space + 1;
            }
            parts.add(rest.substring(0, cut).stripTrailing());
            start += cut;
        }
        return parts.stream().filter(p -> !p.isEmpty()).toList();
    }
}
