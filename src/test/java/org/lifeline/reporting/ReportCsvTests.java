package org.lifeline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ReportCsvTests {

    static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @Test
    void countsAreShownByTheirBandOfFive() {
        assertThat(shown(0)).isEqualTo("<5");
        assertThat(shown(1)).isEqualTo("<5");
        assertThat(shown(4)).isEqualTo("<5");
        assertThat(shown(5)).isEqualTo("5");
        assertThat(shown(7)).isEqualTo("5");
        assertThat(shown(9)).isEqualTo("5");
        assertThat(shown(10)).isEqualTo("10");
        assertThat(shown(1234)).isEqualTo("1230");
    }

    @Test
    void aSmallCountCannotBeWorkedOutFromATotalLessTheOtherCells() {
        // the review's export: 7 by Telegram, 6 in Russian, and so exactly one in Chechen
        var csv = ReportCsv.of(requests(Map.of("telegram", 7L), Map.of("ru", 6L, "ce", 1L)));
        assertThat(csv).contains("requests,day:2026-12-03,channel,telegram,count,5\r\n",
                "requests,day:2026-12-03,language,ce,count,<5\r\n", "requests,day:2026-12-03,language,ru,count,5\r\n");
        // every split of a total into two to four cells: the cells shown and their total never pin a cell under 5
        var largest = 14;
        var shown = new String[4 * largest + 1];
        for (var n = 0; n < shown.length; n++) {
            shown[n] = shown(n);
        }
        for (var cells = 2; cells <= 4; cells++) {
            var splits = new HashMap<List<String>, List<int[]>>();
            for (var split : splits(cells, largest)) {
                var published = new ArrayList<String>();
                published.add(shown[IntStream.of(split).sum()]);
                IntStream.of(split).forEach(n -> published.add(shown[n]));
                splits.computeIfAbsent(published, k -> new ArrayList<>()).add(split);
            }
            splits.forEach((published, alike) -> {
                for (var cell = 0; cell < published.size() - 1; cell++) {
                    var i = cell;
                    var values = alike.stream().mapToInt(split -> split[i]).distinct().count();
                    assertThat(values < 2 && alike.getFirst()[i] > 0 && alike.getFirst()[i] < 5
                            && IntStream.of(alike.getFirst()).allMatch(n -> n <= 10))
                            .as("cell %d of %s pinned by %s", i, Arrays.toString(alike.getFirst()), published).isFalse();
                }
            });
        }
    }

    /** Every way of filling {@code cells} cells with 0 to {@code largest} each. */
    private static List<int[]> splits(int cells, int largest) {
        var all = new ArrayList<int[]>();
        var split = new int[cells];
        while (true) {
            all.add(split.clone());
            var i = 0;
            while (i < cells && split[i] == largest) {
                split[i++] = 0;
            }
            if (i == cells) {
                return all;
            }
            split[i]++;
        }
    }

    @Test
    void percentilesAreNearestRank() {
        assertThat(Reports.percentile(new long[] {}, 50)).isNull();
        assertThat(Reports.percentile(new long[] {7}, 90)).isEqualTo(7);
        assertThat(Reports.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(Reports.percentile(new long[] {1, 2, 3, 4, 5}, 50)).isEqualTo(3);
        assertThat(Reports.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90)).isEqualTo(9);
        assertThat(Reports.percentile(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90)).isEqualTo(10);
    }

    @Test
    void aCampaignNameIsNeverReadAsASpreadsheetFormula() {
        assertThat(ReportCsv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(ReportCsv.field("+7")).isEqualTo("'+7");
        assertThat(ReportCsv.field("leaflet, east")).isEqualTo("\"leaflet, east\"");
        assertThat(ReportCsv.field("-12")).as("a number stays a number").isEqualTo("-12");
        assertThat(ReportCsv.field("video-ko")).isEqualTo("video-ko");
        assertThat(ReportCsv.field("Korean video 3")).isEqualTo("Korean video 3");
    }

    @Test
    void aFormulaAfterASemicolonOrTabIsNeutralisedAndTheFieldQuoted() {
        // Excel with Ukrainian or Russian regional settings splits on ';': the second cell began with '='
        assertThat(ReportCsv.field(";=1+1")).isEqualTo("\";'=1+1\"");
        assertThat(ReportCsv.field("leaflet;east")).isEqualTo("\"leaflet;east\"");
        assertThat(ReportCsv.field("a\t@SUM(A1)")).isEqualTo("\"a\t'@SUM(A1)\"");
        assertThat(ReportCsv.field("a,-2+3")).isEqualTo("\"a,'-2+3\"");
        assertThat(ReportCsv.field("\t=1")).isEqualTo("\"'\t'=1\"");
        assertThat(ReportCsv.field("a\n+1")).isEqualTo("\"a\n'+1\"");
        var csv = ReportCsv.of(requests(Map.of(), Map.of(";=1+1", 6L)));
        for (var line : csv.split("\r\n")) {
            for (var cell : line.split(";")) {
                assertThat(cell).as(line).doesNotStartWith("=");
            }
        }
    }

    @Test
    void weeksAreIsoWeeks() {
        assertThat(Reports.label(java.time.LocalDate.of(2026, 1, 1), "week")).isEqualTo("2026-W01");
        assertThat(Reports.label(java.time.LocalDate.of(2027, 1, 1), "week")).isEqualTo("2026-W53");
        assertThat(Reports.label(java.time.LocalDate.of(2026, 11, 30), "day")).isEqualTo("2026-11-30");
    }

    /** A count as the CSV writes it. */
    static String shown(long count) {
        var line = ReportCsv.of(requests(Map.of("telegram", count), Map.of())).split("\r\n")[1];
        return line.substring(line.lastIndexOf(',') + 1);
    }

    /** A report of one day's requests by channel and by language, nothing else. */
    static Report requests(Map<String, Long> channels, Map<String, Long> languages) {
        return new Report(new ReportFilter(DAY, DAY, null, null, null, null), List.of(),
                List.of(breakdown("channel", channels), breakdown("language", languages)), List.of(), List.of(),
                new Report.Delays(new Report.Delay("all", 0, null, null), List.of(), List.of()), List.of(), List.of(),
                List.of());
    }

    private static Report.Breakdown breakdown(String dimension, Map<String, Long> counts) {
        var sorted = new LinkedHashMap<String, Long>();
        counts.keySet().stream().sorted().forEach(key -> sorted.put(key, counts.get(key)));
        var values = List.copyOf(sorted.values());
        return new Report.Breakdown(dimension, "day", List.copyOf(sorted.keySet()), List.of(new Report.Breakdown.Row(
                DAY.toString(), values, values.stream().mapToLong(Long::longValue).sum())));
    }
}
