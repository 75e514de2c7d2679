package org.lifeline.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Mends the script H2's recovery tool ({@code org.h2.tools.Recover}) writes, before it is run into a new database.
 * The tool first loads each table's rows into a table of its own ({@code O_<n>}) whose columns are all character
 * strings, then copies them into the real table. A binary value (ciphertext, keyed hashes: most of what Lifeline
 * stores) goes into such a column as UTF-8 and comes out altered wherever its bytes are not valid UTF-8, so this
 * declares those columns as binary, as the real table's are. The script is read twice, a line at a time (it is as
 * large as the database).
 */
final class RecoveredScript {

    private static final Pattern REAL_TABLE = Pattern.compile("^CREATE (?:CACHED |MEMORY )?TABLE (\"[^\"]+\"\\.\"[^\"]+\")\\($");
    private static final Pattern COLUMN = Pattern.compile("^    \"(?:[^\"]|\"\")+\" (.*?),?$");
    private static final Pattern COPY = Pattern.compile("^INSERT INTO (\"[^\"]+\"\\.\"[^\"]+\") SELECT \\* FROM (O_\\w+);$");
    private static final Pattern TEMPORARY = Pattern.compile("^CREATE TABLE (O_\\w+)\\((.*)\\);$");

    private RecoveredScript() {
    }

    /**
     * Writes {@code script} to {@code mended} with the binary columns of its temporary tables declared binary; returns
     * how many tables the script makes (none: H2 read nothing it could use).
     */
    static int mend(Path script, Path mended) throws IOException {
        var tables = new HashMap<String, List<String>>();
        var types = binaryColumns(script, tables);
        try (var in = Files.newBufferedReader(script, StandardCharsets.UTF_8);
                var out = Files.newBufferedWriter(mended, StandardCharsets.UTF_8)) {
            for (var line = in.readLine(); line != null; line = in.readLine()) {
                var temporary = TEMPORARY.matcher(line);
                if (temporary.matches() && types.containsKey(temporary.group(1))) {
                    line = declare(temporary.group(1), temporary.group(2), types.get(temporary.group(1)));
                }
                out.write(line);
                out.newLine();
            }
        }
        return tables.size();
    }

    /**
     * For each temporary table, the types of the real table's columns it is copied into (null: not binary); every
     * real table's into {@code tables}.
     */
    private static Map<String, List<String>> binaryColumns(Path script, Map<String, List<String>> tables)
            throws IOException {
        var copies = new HashMap<String, List<String>>();
        try (var in = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            List<String> columns = null;
            for (var line = in.readLine(); line != null; line = in.readLine()) {
                var table = REAL_TABLE.matcher(line);
                if (table.matches()) {
                    columns = new ArrayList<>();
                    tables.put(table.group(1), columns);
                    continue;
                }
                if (columns != null) {
                    var column = COLUMN.matcher(line);
                    if (column.matches()) {
                        columns.add(binaryType(column.group(1)));
                        continue;
                    }
                    columns = null;
                }
                var copy = COPY.matcher(line);
                if (copy.matches() && tables.containsKey(copy.group(1))) {
                    copies.put(copy.group(2), tables.get(copy.group(1)));
                }
            }
        }
        return copies;
    }

    /** The type a temporary column needs for a real column of this definition: null where a string is fine. */
    private static String binaryType(String definition) {
        if (definition.startsWith("BINARY LARGE OBJECT")) {
            return "BINARY LARGE OBJECT";
        }
        if (definition.startsWith("BINARY")) {
            return "BINARY VARYING";
        }
        return null;
    }

    private static String declare(String name, String declared, List<String> binary) {
        var columns = declared.split(", ");
        if (columns.length != binary.size()) {
            throw new IllegalStateException("The recovery script's table " + name + " has " + columns.length
                    + " columns, the table it is copied into " + binary.size() + ": not a script this can mend");
        }
        for (int i = 0; i < columns.length; i++) {
            if (binary.get(i) != null && columns[i].equals("C" + i + " VARCHAR")) {
                columns[i] = "C" + i + " " + binary.get(i);
            }
        }
        return "CREATE TABLE " + name + "(" + String.join(", ", columns) + ");";
    }
}
