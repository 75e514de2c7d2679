package org.lifeline.flows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.lifeline.flows.engine.Effect;
import org.lifeline.flows.engine.Entry;
import org.lifeline.flows.engine.FlowEngine;
import org.lifeline.flows.engine.FlowRegistry;
import org.lifeline.flows.engine.Input;
import org.lifeline.flows.engine.Output;
import org.lifeline.flows.engine.Step;
import org.lifeline.platform.ServiceName;

/**
 * Plays the host on a terminal: prints outputs (options numbered, as on a channel without buttons) and effects,
 * and turns typed lines into inputs. Also writes the golden transcripts, so they show exactly what {@code flows try}
 * shows.
 */
final class Simulator {

    private static final Pattern LOCATION = Pattern.compile("/location\\s+(-?[\\d.]+)[,\\s]+(-?[\\d.]+)");
    private static final Pattern WAIT = Pattern.compile("/wait\\s+(\\d+)\\s*([smhd])");

    private final FlowRegistry registry;
    /** Stands still between inputs and moves only on {@code /wait}; the engine reads time from a fixed clock. */
    private Instant now;
    private FlowEngine engine;
    private final PrintWriter out;
    private final boolean echo;
    private final ServiceName serviceName;
    private int cases;
    private int photos;

    /** {@code echo}: repeat each input line, for transcripts (a terminal shows what was typed already). */
    Simulator(FlowRegistry registry, Instant start, PrintWriter out, boolean echo, ServiceName serviceName) {
        this.registry = registry;
        this.now = start;
        this.engine = engineAt(start);
        this.out = out;
        this.echo = echo;
        this.serviceName = serviceName;
    }

    void run(BufferedReader in, String flow, String language, boolean photosAccepted) throws IOException {
        var step = engine.start(flow, new Entry(null, language, null, photosAccepted));
        print(step);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            if (echo) {
                out.println("> " + line);
            }
            // the input first: /wait moves the clock, and so which engine answers
            var input = input(line.strip());
            step = engine.handle(step.session(), input);
            print(step);
        }
        out.flush();
    }

    private Input input(String line) {
        var location = LOCATION.matcher(line);
        if (location.matches()) {
            return new Input.Location(Double.parseDouble(location.group(1)), Double.parseDouble(location.group(2)));
        }
        if (line.startsWith("/choose ")) {
            return new Input.Choice(line.substring("/choose ".length()).strip());
        }
        if (line.equals("/photo")) {
            return new Input.Photo("photo-" + ++photos);
        }
        var wait = WAIT.matcher(line.toLowerCase(Locale.ROOT));
        if (wait.matches()) {
            long amount = Long.parseLong(wait.group(1));
            now = now.plus(switch (wait.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            engine = engineAt(now);
            return new Input.Tick();
        }
        return new Input.Text(line);
    }

    private void print(Step step) {
        var filled = new HashMap<String, String>();
        filled.put(FlowConversations.SERVICE_NAME, serviceName.in(step.session().language()));
        // the server fills these from the signed channel list, which a terminal walk does not have
        OfficialChannelTexts.PLACEHOLDERS.forEach(name -> filled.put(name, "[" + name + "]"));
        for (var effect : step.effects()) {
            if (effect instanceof Effect.OpenCase) {
                filled.put(FlowEngine.CASE_REFERENCE, "SIM-" + ++cases);
            }
        }
        for (var output : step.outputs()) {
            var shown = output.fill(filled);
            out.println(shown.text());
            if (shown instanceof Output.Question question) {
                for (int i = 0; i < question.options().size(); i++) {
                    out.println("  " + (i + 1) + ". " + question.options().get(i).label());
                }
            } else if (shown instanceof Output.LocationRequest) {
                out.println("  (/location LAT LON shares a location)");
            }
        }
        for (var effect : step.effects()) {
            out.println("  [" + describe(effect) + "]");
        }
        if (step.session().finished() && !step.effects().isEmpty()) {
            out.println("  (the flow is over; commands still work, end of input quits)");
        }
        out.flush();
    }

    private static String describe(Effect effect) {
        return switch (effect) {
            case Effect.OpenCase open -> "open case " + open.kind() + " " + new TreeMap<>(open.fields());
            case Effect.UpdateCase update -> "update case " + new TreeMap<>(update.fields());
            case Effect.Handover handover -> "hand over to queue '" + handover.queue() + "' (" + handover.reason() + ")";
            case Effect.End end -> "end (" + end.reason() + ")";
            case Effect.DeleteDataRequested ignored -> "delete my data";
        };
    }

    /** The engine keeps no state between calls, so a new one at the new time continues the same session. */
    private FlowEngine engineAt(Instant time) {
        return new FlowEngine(registry, Clock.fixed(time, ZoneOffset.UTC));
    }
}
