package org.lifeline.reporting;

/**
 * How a count is shown wherever reports show one (the console's page and the CSV alike): by its band of five, that
 * is rounded down to a multiple of 5 (5 to 9 as 5, 10 to 14 as 10), and 0 to 4 as "<5". Suppressing small cells alone
 * was undone by subtraction, since the same requests are counted by channel, by language, by campaign and as totals
 * (7 by Telegram less 6 in Russian was one in Chechen). Publishing every figure, totals included, as an interval of
 * five (rounding to base 5) leaves a small cell several values wide whatever it is subtracted from: worked out over
 * every split of a total into up to four cells in {@code ReportCsvTests}. Rounding to the nearest multiple, or
 * showing 0 apart from 1 to 4, does not: a total shown as 10 over two cells under 5 makes both 4, and a total under
 * 5 over four cells that are not 0 makes each 1. Complementary suppression would have to be worked out across all
 * the overlapping tables at once. Shares, medians and percentiles are computed only from counts of 5 or more, and
 * shares from the shown counts.
 */
public final class Disclosure {

    /** Counts are shown as multiples of this, and under it as {@link #SMALL}. */
    public static final int BASE = 5;
    public static final String SMALL = "<5";
    /** For the page's templates, which call methods on objects. */
    public static final Disclosure RULE = new Disclosure();

    private Disclosure() {
    }

    /** The count as it is shown. */
    public String count(long exact) {
        return enough(exact) ? Long.toString(rounded(exact)) : SMALL;
    }

    /** Whether a figure computed from these many values may be shown. */
    public boolean enough(long exact) {
        return exact >= BASE;
    }

    /** The shown count as a number, for the height of a bar; 0 for one shown as "<5". */
    public long rounded(long exact) {
        return enough(exact) ? exact / BASE * BASE : 0;
    }

    /** {@code part} as a share of {@code whole} in whole per cent of the shown counts; null where not shown. */
    public Long percent(long part, long whole) {
        return enough(part) && enough(whole) ? Math.round(100.0 * rounded(part) / rounded(whole)) : null;
    }
}
