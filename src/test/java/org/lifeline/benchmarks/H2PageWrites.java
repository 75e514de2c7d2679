package org.lifeline.benchmarks;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreTool;

/**
 * What H2 wrote to a database file, map by map (a table's rows, each of its indexes, the transactions' undo logs, the
 * file's own chunk layout), over the chunks written within a window of time before the file's last one: not a test,
 * a tool run on a benchmark's database after the benchmark (BENCHMARKS.md). Each commit with {@code WRITE_DELAY=0}
 * writes a chunk of every page changed since the last one, whole, so the bytes a map took show which rows and indexes
 * make the store's work.
 * <p>
 * Arguments: the database's path without {@code .mv.db}, and the window as seconds before the last chunk
 * ({@code 58 23}: from 58 s to 23 s before it). Without a window it prints how many chunks and bytes each of the
 * last 120 seconds wrote, where a drain shows. It walks the file's chunks as H2's own {@link MVStoreTool#dump} does,
 * then opens the database read-only for the names of its tables and indexes.
 */
public final class H2PageWrites {

    /** H2's block, the unit of a chunk's length, and the space its footer takes at a chunk's end. */
    private static final int BLOCK = 4096;
    private static final int FOOTER = 128;

    private H2PageWrites() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: H2PageWrites <database path without .mv.db> [<from seconds before the last chunk> <to>]");
            System.exit(2);
        }
        var base = args[0];

        var chunks = chunks(Path.of(base + ".mv.db"));
        var last = chunks.stream().mapToLong(Chunk::time).max().orElseThrow();
        if (args.length == 1) {
            var perSecond = new TreeMap<Long, long[]>();
            for (var chunk : chunks) {
                var second = (last - chunk.time()) / 1000;
                if (second < 120) {
                    var counts = perSecond.computeIfAbsent(second, s -> new long[2]);
                    counts[0]++;
                    counts[1] += chunk.bytes().values().stream().mapToLong(Long::longValue).sum();
                }
            }
            System.out.println("seconds before the last chunk, chunks, KB");
            perSecond.descendingMap().forEach((second, counts) ->
                    System.out.printf(Locale.ROOT, "%4d %6d %9d%n", second, counts[0], counts[1] / 1000));
            return;
        }
        var fromMillis = (long) (Double.parseDouble(args[1]) * 1000);
        var toMillis = (long) (Double.parseDouble(args[2]) * 1000);
        var totals = new HashMap<Integer, Long>();
        long chunkCount = 0;
        for (var chunk : chunks) {
            var before = last - chunk.time();
            if (before <= fromMillis && before > toMillis) {
                chunkCount++;
                chunk.bytes().forEach((id, bytes) -> totals.merge(id, bytes, Long::sum));
            }
        }

        var names = names(base);
        var all = totals.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "%d chunks, %d KB, %d KB a chunk, %.1f s%n", chunkCount, all / 1000,
                all / 1000 / Math.max(1, chunkCount), (fromMillis - toMillis) / 1e3);
        List<Map.Entry<Integer, Long>> sorted = new ArrayList<>(totals.entrySet());
        sorted.sort(Map.Entry.<Integer, Long>comparingByValue().reversed());
        for (var entry : sorted.subList(0, Math.min(25, sorted.size()))) {
            System.out.printf(Locale.ROOT, "%12d KB %5.1f%%  %s%n", entry.getValue() / 1000,
                    100.0 * entry.getValue() / all, names.getOrDefault(entry.getKey(), "map " + entry.getKey()));
        }
    }

    record Chunk(long time, Map<Integer, Long> bytes) {
    }

    /**
     * Every whole chunk still in the file: H2's own {@link MVStoreTool#dump} walks the file the same way, but stops at
     * the first block of reused space that starts like a chunk's header. A chunk counts only when its footer names it
     * too (a newer chunk written over its end would not); the walk goes on block by block past anything else.
     */
    private static List<Chunk> chunks(Path file) throws Exception {
        var chunks = new ArrayList<Chunk>();
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var size = channel.size();
            var block = ByteBuffer.allocate(BLOCK);
            for (long position = 0; position + BLOCK <= size; ) {
                block.clear();
                channel.read(block, position);
                var header = header(block.array());
                if (header == null) {
                    position += BLOCK;
                    continue;
                }
                var length = Long.parseLong(header.get("len"), 16) * BLOCK;
                if (length <= 0 || length > Integer.MAX_VALUE || position + length > size) {
                    position += BLOCK;
                    continue;
                }
                var chunk = ByteBuffer.allocate((int) length);
                channel.read(chunk, position);
                var footer = new String(chunk.array(), (int) length - FOOTER, FOOTER, StandardCharsets.ISO_8859_1).trim();
                if (!footer.startsWith("chunk:" + header.get("chunk") + ",")) {
                    position += BLOCK;
                    continue;
                }
                var bytes = new HashMap<Integer, Long>();
                var at = headerLength(chunk.array());
                var pages = Long.parseLong(header.get("pages"), 16);
                for (long page = 0; page < pages && at + 8 < length - FOOTER; page++) {
                    chunk.position(at);
                    var pageLength = chunk.getInt();
                    chunk.getShort();
                    DataUtils.readVarInt(chunk);
                    var map = DataUtils.readVarInt(chunk);
                    if (pageLength <= 0) {
                        break;
                    }
                    bytes.merge(map, (long) pageLength, Long::sum);
                    at += pageLength;
                }
                chunks.add(new Chunk(Long.parseLong(header.get("time"), 16), bytes));
                position += length;
            }
        }
        return chunks;
    }

    /**
     * A chunk's header ({@code chunk:1a,block:2,len:3,pages:9,…,time:1bcad,…} up to a newline), or null when the block
     * starts no such header or one without the fields read here.
     */
    private static Map<String, String> header(byte[] block) {
        if (block[0] != 'c') {
            return null;
        }
        var end = headerLength(block);
        if (end < 0) {
            return null;
        }
        var fields = new HashMap<String, String>();
        for (var field : new String(block, 0, end - 1, StandardCharsets.ISO_8859_1).trim().split(",")) {
            var colon = field.indexOf(':');
            if (colon <= 0 || !field.substring(colon + 1).matches("[0-9a-f]+")) {
                return null;
            }
            fields.put(field.substring(0, colon), field.substring(colon + 1));
        }
        return fields.keySet().containsAll(List.of("chunk", "len", "pages", "time")) ? fields : null;
    }

    /** Where a chunk's first page starts: after its header's newline, -1 without one. */
    private static int headerLength(byte[] chunk) {
        for (int i = 0; i < Math.min(chunk.length, 1024); i++) {
            if (chunk[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Each map's name, a table's or an index's as the schema knows it. */
    private static Map<Integer, String> names(String base) throws Exception {
        var objects = new HashMap<Integer, String>();
        // H2 refuses a relative path in a URL, as BENCHMARKS.md's command gives it
        try (var connection = DriverManager.getConnection("jdbc:h2:file:" + Path.of(base).toAbsolutePath()
                + ";ACCESS_MODE_DATA=r;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "")) {
            var session = (SessionLocal) ((JdbcConnection) connection).getSession();
            for (var table : session.getDatabase().getAllTablesAndViews()) {
                objects.put(table.getId(), table.getName() + " (rows)");
                for (var index : table.getIndexes()) {
                    objects.put(index.getId(), table.getName() + ": " + index.getName());
                }
            }
        }
        var names = new HashMap<Integer, String>();
        names.put(0, "the file's chunk layout");
        try (var store = new MVStore.Builder().fileName(base + ".mv.db").readOnly().open()) {
            var meta = store.getMetaMap();
            for (var name : store.getMapNames()) {
                var id = Integer.parseInt(meta.get("name." + name), 16);
                var object = name.matches("(table|index)\\.\\d+")
                        ? objects.get(Integer.parseInt(name.substring(name.indexOf('.') + 1)))
                        : null;
                names.put(id, object != null ? object : name);
            }
        }
        return names;
    }
}
