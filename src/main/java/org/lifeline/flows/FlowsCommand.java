package org.lifeline.flows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.flows.engine.Problem;
import org.lifeline.platform.ServiceName;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.ResourcePropertySource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flows validate [DIR]} and {@code flows try FLOW}: neither starts the application or touches a database. */
@Command(name = "flows", mixinStandardHelpOptions = true,
        description = "Check conversation flows, or walk through one on the terminal.",
        subcommands = {FlowsCommand.Validate.class, FlowsCommand.Try.class})
public final class FlowsCommand implements Runnable {

    /**
     * The configured service name as the server would bind it (application.properties, then the environment), without
     * starting the application: {@code flows try} needs no database.
     */
    static ServiceName serviceName() {
        var environment = new StandardEnvironment();
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource("classpath:application.properties"));
        } catch (IOException e) {
            // no packaged configuration: the built-in name
        }
        return Binder.get(environment).bind("lifeline", ServiceName.class).orElseGet(() -> new ServiceName(Map.of()));
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String describe(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Validates the flows the server would run with lifeline.flows.directory=DIR: the shipped "
                    + "flows with DIR's files laid over them (the same path replaces a shipped file). Without DIR, "
                    + "the shipped flows alone.",
                    "Prints every problem as file:line: message and exits 1 if there is any."})
    static final class Validate implements Callable<Integer> {

        @Parameters(arity = "0..1", paramLabel = "DIR", description = "a flows directory")
        Path directory;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var result = FlowLibrary.load(directory);
            var out = spec.commandLine().getOut();
            if (!result.valid()) {
                out.println(describe(result.problems()));
                out.println(result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems"));
                out.flush();
                return 1;
            }
            var registry = result.registry();
            var flows = registry.flowIds().stream().map(id -> registry.latest(id).toString()).toList();
            out.println("Flows are valid: " + String.join(", ", flows) + "; languages "
                    + String.join(", ", registry.latest(registry.flowIds().iterator().next()).languages()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "try", mixinStandardHelpOptions = true,
            description = {"Walks through a flow on the terminal as a requester would: type answers, a number picks "
                    + "an option, /choose ID presses a button. /location LAT LON shares a location, /photo sends a photo, /wait 2h lets time pass; "
                    + "/language, /human, /restart, /delete, /back and /verify are the requester's commands. End of input quits."})
    static final class Try implements Callable<Integer> {

        @Parameters(paramLabel = "FLOW", description = "the flow to start, such as main or surrender")
        String flow;

        @Option(names = "--lang", paramLabel = "L", description = "the language (as a campaign would set it); asked if not given")
        String language;

        @Option(names = "--dir", paramLabel = "DIR", description = "flows laid over the shipped ones, as for validate")
        Path directory;

        @Option(names = "--no-photos", description = "simulate a channel that cannot receive photos")
        boolean noPhotos;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var result = FlowLibrary.load(directory);
            var out = spec.commandLine().getOut();
            if (!result.valid()) {
                out.println(describe(result.problems()));
                out.flush();
                return 1;
            }
            if (!result.registry().flowIds().contains(flow)) {
                out.println("No flow '" + flow + "'; there are: " + String.join(", ", result.registry().flowIds()));
                out.flush();
                return 1;
            }
            var simulator = new Simulator(result.registry(), Instant.now(), out, false, serviceName());
            simulator.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), flow,
                    language, !noPhotos);
            return 0;
        }
    }
}
