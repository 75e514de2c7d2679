package org.lifeline.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a benchmark's threads spent a window of a JFR recording, by the phase of a database transaction each sample
 * was in: not a test, a tool run on a recording made during a benchmark (BENCHMARKS.md), with
 * {@code -Dlifeline.test.jvm="… -XX:StartFlightRecording=filename=/tmp/x.jfr,settings=profile"}.
 * <p>
 * It reads the recording through the JDK's own API, whole stacks included: {@code jfr print} cuts every stack to its
 * five innermost frames unless told otherwise ({@code --stack-depth}), which hides which statement, or whose commit,
 * a sample of H2's B-tree code belongs to.
 * <p>
 * Arguments: the recording; with no more, a timeline (every 10 s from the recording's start: the machine's CPU and the
 * samples of the busiest threads), where a drain shows. With a window ({@code 205 355}: seconds from the start) and
 * optionally the threads to select, named as the first table shows them ({@code inbound-N}, the default: the inbound
 * workers, not the {@code inbound-acknowledgement-N} threads), it prints for that window:
 * <ul>
 * <li>the samples of every thread, names without their numbers;</li>
 * <li>the selected threads' samples by phase: H2 writing its store at a commit, the commit's walk over the undo log,
 * statement preparation, statement execution, and the rest (the application, the driver's and Spring's own work);</li>
 * <li>the same by the innermost application method on the stack (proxies, lambdas and the H2 connections' own
 * {@code H2LockingStatements} skipped);</li>
 * <li>the same by kinds of work that cut across phases: H2 comparing keys, serialising pages, its page cache, pages
 * read back from its file, statement parsing, JSON, encryption, random bytes, regular expressions;</li>
 * <li>the selected threads' waits (parks and monitor entries the recording kept, {@code settings=profile}: 10 ms and
 * longer) by what they waited in;</li>
 * <li>the file writes of every thread: how many, how long, how many bytes.</li>
 * </ul>
 */
public final class DrainProfile {

    /** A phase of a transaction: a sample is in it when any frame of its stack is one of these methods. */
    private record Phase(String name, String shortName, Set<String> methods) {
    }

    /** First match wins. */
    private static final List<Phase> PHASES = List.of(
            new Phase("H2 writing its store at a commit", "store", Set.of("org.h2.mvstore.MVStore.store")),
            new Phase("the commit's walk over the undo log", "commit walk",
                    Set.of("org.h2.mvstore.tx.TransactionStore.commit")),
            new Phase("statement preparation", "preparation", Set.of("org.h2.engine.SessionLocal.prepareLocal")),
            new Phase("statement execution", "execution", Set.of("org.h2.command.Command.executeQuery",
                    "org.h2.command.Command.executeUpdate", "org.h2.command.Command.executeBatchUpdate")));
    private static final Phase REST = new Phase("the rest (application, driver, Spring, JDK)", "rest", Set.of());

    /** A kind of work that cuts across phases, by the frames of a sample's stack (innermost first). */
    private record Kind(String name, Predicate<List<String>> in) {
    }

    /** A sample may be of several kinds. */
    private static final List<Kind> KINDS = List.of(
            new Kind("H2 comparing keys in its B-tree searches (the innermost frame)", frames -> !frames.isEmpty()
                    && frames.getFirst().startsWith("org.h2.")
                    && (frames.getFirst().contains(".compare") || frames.getFirst().endsWith(".binarySearch"))),
            new Kind("H2 serialising pages at a store", any("org.h2.mvstore.FileStore.serializeToBuffer")),
            new Kind("H2's page cache (`CacheLongKeyLIRS`)", any("org.h2.mvstore.cache.CacheLongKeyLIRS.")),
            new Kind("H2 reading pages back from its file (`Page.read`: not in its page cache)",
                    any("org.h2.mvstore.Page.read")),
            new Kind("H2 parsing a statement", any("org.h2.command.Parser.parse")),
            new Kind("JSON (Jackson)", any("tools.jackson.", "com.fasterxml.jackson.")),
            new Kind("encryption and decryption (Tink, the JDK's AES)", any("com.google.crypto.tink.",
                    "com.sun.crypto.provider.")),
            new Kind("random bytes (`SecureRandom`)", any("java.security.SecureRandom.")),
            new Kind("regular expressions", any("java.util.regex.")));
    private static final Pattern NUMBERED = Pattern.compile("[-#]?\\d+$");

    private DrainProfile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 3 && args.length != 4
                || args.length > 1 && !(seconds(args[1]) && seconds(args[2]))) {
            System.err.println("usage: DrainProfile <recording.jfr> [<from s> <to s> [<threads, as named in the first table>]]");
            System.exit(2);
        }
        var events = RecordingFile.readAllEvents(Path.of(args[0]));
        var start = events.stream().map(RecordedEvent::getStartTime).min(Comparator.naturalOrder()).orElseThrow();
        if (args.length == 1) {
            timeline(events, start);
            return;
        }
        var from = start.plusMillis((long) (Double.parseDouble(args[1]) * 1000));
        var to = start.plusMillis((long) (Double.parseDouble(args[2]) * 1000));
        var selected = args.length == 4 ? args[3] : "inbound-N";
        Predicate<RecordedEvent> inWindow = e -> !e.getStartTime().isBefore(from) && e.getStartTime().isBefore(to);
        var window = events.stream().filter(inWindow).toList();
        System.out.printf(Locale.ROOT, "window: %s to %s s from the recording's start; threads selected: %s%n%n",
                args[1], args[2], selected);
        samplesByThread(window);
        phases(window, selected);
        waits(window, selected);
        fileWrites(window);
    }

    private static void timeline(List<RecordedEvent> events, Instant start) {
        var cpu = new TreeMap<Long, double[]>();
        var samples = new TreeMap<Long, Map<String, Integer>>();
        for (var event : events) {
            var slot = Duration.between(start, event.getStartTime()).toSeconds() / 10 * 10;
            switch (event.getEventType().getName()) {
                case "jdk.CPULoad" -> {
                    var sums = cpu.computeIfAbsent(slot, s -> new double[3]);
                    sums[0] += event.getFloat("machineTotal");
                    sums[1] += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                    sums[2]++;
                }
                case "jdk.ExecutionSample" -> samples.computeIfAbsent(slot, s -> new HashMap<>())
                        .merge(name(event.getThread("sampledThread")), 1, Integer::sum);
                default -> {
                }
            }
        }
        header("| from s | machine CPU | this JVM | samples, busiest threads |", "|--:|--:|--:|---|");
        for (var slot : samples.keySet()) {
            var sums = cpu.getOrDefault(slot, new double[] {0, 0, 1});
            var busiest = samples.get(slot).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(4)
                    .map(e -> e.getKey() + " " + e.getValue()).toList();
            System.out.printf(Locale.ROOT, "| %d | %.0f%% | %.0f%% | %s |%n", slot, 100 * sums[0] / sums[2],
                    100 * sums[1] / sums[2], String.join(", ", busiest));
        }
    }

    private static void samplesByThread(List<RecordedEvent> window) {
        var byThread = new HashMap<String, Integer>();
        var total = 0;
        for (var event : window) {
            if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                byThread.merge(name(event.getThread("sampledThread")), 1, Integer::sum);
                total++;
            }
        }
        header("| thread | samples | share |", "|---|--:|--:|");
        final var all = total;
        byThread.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %d | %.1f%% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / all));
        System.out.println();
    }

    private static void phases(List<RecordedEvent> window, String selected) {
        var byPhase = new HashMap<Phase, Integer>();
        var byMethod = new HashMap<String, Map<Phase, Integer>>();
        var byKind = new HashMap<Kind, Integer>();
        var total = 0;
        for (var event : window) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || !name(event.getThread("sampledThread")).equals(selected) || event.getStackTrace() == null) {
                continue;
            }
            total++;
            var frames = event.getStackTrace().getFrames().stream().map(DrainProfile::method).toList();
            var phase = PHASES.stream().filter(p -> frames.stream().anyMatch(p.methods()::contains)).findFirst()
                    .orElse(REST);
            byPhase.merge(phase, 1, Integer::sum);
            KINDS.stream().filter(k -> k.in().test(frames)).forEach(k -> byKind.merge(k, 1, Integer::sum));
            var owner = frames.stream()
                    .filter(f -> f.startsWith("org.lifeline.") && !f.contains("$$") && !f.contains("lambda$")
                            && !f.startsWith("org.lifeline.platform.H2LockingStatements"))
                    .findFirst().map(DrainProfile::classAndMethod).orElse("-");
            byMethod.computeIfAbsent(owner, o -> new HashMap<>()).merge(phase, 1, Integer::sum);
        }
        if (total == 0) {
            System.out.println("no samples of the selected threads in the window");
            return;
        }
        System.out.printf(Locale.ROOT, "Selected threads, %d samples, by phase:%n%n", total);
        header("| phase | share |", "|---|--:|");
        final var all = total;
        byPhase.entrySet().stream().sorted(Map.Entry.<Phase, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.1f%% |%n", e.getKey().name(),
                        100.0 * e.getValue() / all));
        System.out.printf("%nBy the innermost application method on the stack:%n%n");
        header("| method | share | of which |", "|---|--:|---|");
        byMethod.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Map<Phase, Integer>> e) -> sum(e.getValue())).reversed())
                .limit(30)
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.1f%% | %s |%n", e.getKey(),
                        100.0 * sum(e.getValue()) / all,
                        String.join(", ", e.getValue().entrySet().stream()
                                .sorted(Map.Entry.<Phase, Integer>comparingByValue().reversed())
                                .map(p -> String.format(Locale.ROOT, "%s %.1f%%", p.getKey().shortName(),
                                        100.0 * p.getValue() / all))
                                .toList())));
        System.out.printf("%nBy kind of work, across phases (a sample may be of several kinds):%n%n");
        header("| kind | share |", "|---|--:|");
        KINDS.forEach(k -> System.out.printf(Locale.ROOT, "| %s | %.1f%% |%n", k.name(),
                100.0 * byKind.getOrDefault(k, 0) / all));
        System.out.println();
    }

    /** Whether any frame of the stack is in one of these classes or methods (by the beginning of its name). */
    private static Predicate<List<String>> any(String... beginnings) {
        return frames -> frames.stream().anyMatch(f -> java.util.Arrays.stream(beginnings).anyMatch(f::startsWith));
    }

    private static void waits(List<RecordedEvent> window, String selected) {
        var seconds = new HashMap<String, double[]>();
        for (var event : window) {
            var type = event.getEventType().getName();
            if (!(type.equals("jdk.ThreadPark") || type.equals("jdk.JavaMonitorEnter"))
                    || !name(event.getThread()).equals(selected) || event.getStackTrace() == null) {
                continue;
            }
            // the innermost frames that are not the lock's own machinery say what was waited for
            var where = event.getStackTrace().getFrames().stream().map(DrainProfile::method)
                    .filter(f -> !f.startsWith("java.util.concurrent.locks.") && !f.startsWith("jdk.internal.misc.")
                            && !f.startsWith("java.lang.Thread."))
                    .limit(3).map(DrainProfile::classAndMethod).toList();
            var key = type.substring(4) + ": " + String.join(" < ", where);
            var sums = seconds.computeIfAbsent(key, k -> new double[2]);
            sums[0] += event.getDuration().toNanos() / 1e9;
            sums[1]++;
        }
        System.out.printf("Waits of the selected threads the recording kept:%n%n");
        header("| in | seconds | times |", "|---|--:|--:|");
        seconds.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed())
                .limit(8).forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f |%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1]));
        System.out.println();
    }

    private static void fileWrites(List<RecordedEvent> window) {
        var byThread = new HashMap<String, double[]>();
        for (var event : window) {
            if (event.getEventType().getName().equals("jdk.FileWrite")) {
                var sums = byThread.computeIfAbsent(name(event.getThread()), t -> new double[3]);
                sums[0]++;
                sums[1] += event.getDuration().toNanos() / 1e9;
                sums[2] += event.getLong("bytesWritten");
            }
        }
        System.out.printf("File writes the recording kept:%n%n");
        header("| thread | writes | seconds | MiB |", "|---|--:|--:|--:|");
        byThread.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[2]).reversed())
                .limit(8).forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.0f |%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1], e.getValue()[2] / (1 << 20)));
    }

    private static int sum(Map<Phase, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void header(String columns, String alignment) {
        System.out.println(columns);
        System.out.println(alignment);
    }

    private static boolean seconds(String argument) {
        try {
            return Double.parseDouble(argument) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code org.lifeline.x.Type.method} as {@code Type.method}. */
    private static String classAndMethod(String method) {
        return method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1);
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** A thread's name without its number; a virtual thread without a name is one of the outbox's calls or the like. */
    private static String name(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        var name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        if (name == null || name.isEmpty()) {
            return thread.isVirtual() ? "(virtual, unnamed)" : "?";
        }
        return NUMBERED.matcher(name).replaceFirst("-N");
    }
}
