package org.lifeline.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Every raw value in the database, for tests that search it for what must never be stored in the clear. */
public final class DatabaseRows {

    private DatabaseRows() {
    }

    /** The tables of the current schema. */
    public static List<String> tables(JdbcClient jdbc) {
        return jdbc.sql("""
                        select table_name from information_schema.tables
                        where table_schema = current_schema and table_type = 'BASE TABLE'""")
                .query(String.class).list();
    }

    /**
     * Every column value of every table, text as it is, bytes both as UTF-8 and as hex; on H2 the intake journal's
     * too (a second database beside the main one).
     */
    public static List<String> values(JdbcClient jdbc, org.springframework.core.env.Environment environment) {
        var values = values(jdbc);
        values.addAll(new StoredUpdates(jdbc, environment).journalValues());
        return values;
    }

    /** Every column value of every table of this database, text as it is, bytes both as UTF-8 and as hex. */
    public static List<String> values(JdbcClient jdbc) {
        var values = new ArrayList<String>();
        for (var table : tables(jdbc)) {
            jdbc.sql("select * from " + table).query(rs -> {
                for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                    var value = rs.getObject(column);
                    if (value instanceof byte[] bytes) {
                        values.add(new String(bytes, UTF_8));
                        values.add(HexFormat.of().formatHex(bytes));
                    } else if (value != null) {
                        values.add(value.toString());
                    }
                }
            });
        }
        return values;
    }
}
