package org.lifeline.platform;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/**
 * Ids for rows written often into large tables (RFC 9562 version 7: the millisecond first, then 74 random bits from
 * a {@code SecureRandom}, fresh for each id). A random (version 4) primary key puts each new row in a random page of
 * its index, which must then be read and written again; time-ordered ones fill the index's last page, so a table
 * with millions of rows takes them as fast as an empty one. The id tells the millisecond its row was made, no more
 * than the row's own time stamp; ids within one millisecond are not in any order, so none follows from another.
 */
public final class TimeOrderedIds {

    private static final TimeBasedEpochRandomGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    private TimeOrderedIds() {
    }

    public static UUID next() {
        return GENERATOR.generate();
    }
}
