package org.lifeline.console.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn on the server, for the template to write out as inline SVG: geometry only, no script and no
 * style attribute (the console's CSP allows neither inline), colours from the stylesheet by class. Every chart has a
 * table beside it with the same figures, for screen readers and for reading exact values.
 *
 * @param title the accessible name of the drawing
 */
record SvgChart(String title, int width, int height, List<Mark> marks, List<Text> texts) {

    static final int WIDTH = 600;
    private static final int ROW = 26;
    private static final int LABEL = 170;
    private static final int VALUE = 80;

    /** A bar. */
    record Mark(double x, double y, double width, double height) {
    }

    /** @param anchor {@code start}, {@code middle} or {@code end} */
    record Text(double x, double y, String text, String anchor) {
    }

    /** One row per label: a horizontal bar proportional to its value, the value written after it. */
    static SvgChart bars(String title, List<String> labels, List<Long> values, List<String> shown) {
        var max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        var marks = new ArrayList<Mark>();
        var texts = new ArrayList<Text>();
        var span = WIDTH - LABEL - VALUE;
        for (int i = 0; i < labels.size(); i++) {
            var y = i * ROW;
            var width = span * (double) values.get(i) / max;
            marks.add(new Mark(LABEL, y + 4, Math.max(width, values.get(i) > 0 ? 1 : 0), ROW - 8));
            texts.add(new Text(LABEL - 8, y + ROW / 2.0 + 5, labels.get(i), "end"));
            texts.add(new Text(LABEL + width + 6, y + ROW / 2.0 + 5, shown.get(i), "start"));
        }
        return new SvgChart(title, WIDTH, Math.max(ROW, labels.size() * ROW), marks, texts);
    }

    /** One column per day (or period), the first and last label and the highest value written on the axes. */
    static SvgChart columns(String title, List<String> labels, List<Long> values) {
        var max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        var height = 180;
        var top = 20;
        var bottom = 24;
        var left = 40;
        var plot = height - top - bottom;
        var step = (WIDTH - left) / (double) Math.max(1, labels.size());
        var marks = new ArrayList<Mark>();
        var texts = new ArrayList<Text>();
        for (int i = 0; i < labels.size(); i++) {
            var h = plot * (double) values.get(i) / max;
            marks.add(new Mark(left + i * step + step * 0.1, top + plot - h, Math.max(step * 0.8, 1), h));
        }
        texts.add(new Text(left - 6, top + 5, Long.toString(max), "end"));
        texts.add(new Text(left - 6, top + plot, "0", "end"));
        if (!labels.isEmpty()) {
            texts.add(new Text(left, height - 6, labels.getFirst(), "start"));
            texts.add(new Text(WIDTH, height - 6, labels.getLast(), "end"));
        }
        return new SvgChart(title, WIDTH, height, marks, texts);
    }
}
