package org.lifeline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportCsvTests {

    @Test
    void countsFromOneToFourLeaveAsLessThanFive() {
        assertThat(Reports.suppressed(0)).isEqualTo("0");
        assertThat(Reports.suppressed(1)).isEqualTo("<5");
        assertThat(Reports.suppressed(4)).isEqualTo("<5");
        assertThat(Reports.suppressed(5)).isEqualTo("5");
        assertThat(Reports.suppressed(1234)).isEqualTo("1234");
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
    void aCampaignKeyIsNeverReadAsASpreadsheetFormula() {
        assertThat(ReportCsv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(ReportCsv.field("+7")).isEqualTo("'+7");
        assertThat(ReportCsv.field("leaflet, east")).isEqualTo("\"leaflet, east\"");
        assertThat(ReportCsv.field("-12")).as("a number stays a number").isEqualTo("-12");
        assertThat(ReportCsv.field("video-ko")).isEqualTo("video-ko");
    }

    @Test
    void weeksAreIsoWeeks() {
        assertThat(Reports.label(java.time.LocalDate.of(2026, 1, 1), "week")).isEqualTo("2026-W01");
        assertThat(Reports.label(java.time.LocalDate.of(2027, 1, 1), "week")).isEqualTo("2026-W53");
        assertThat(Reports.label(java.time.LocalDate.of(2026, 11, 30), "day")).isEqualTo("2026-11-30");
    }
}
