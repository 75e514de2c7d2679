package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    /** The module diagrams as committed; regenerate with {@code -Dlifeline.modules.update=true} after a deliberate change. */
    static final Path COMMITTED = Path.of("docs/modules");

    /** The channel adapters: a module each, on the channels core; a new channel is one more of these. */
    static final List<String> ADAPTERS = List.of("telegram", "webchat", "whatsapp", "telephony");

    private static final ApplicationModules modules = ApplicationModules.of(LifelineApplication.class);

    @Test
    void modulesRespectTheirDeclaredDependencies() {
        modules.verify();
    }

    /**
     * {@code verify()} holds a module to what it declares; this holds the declarations to the shape of the channels:
     * each adapter declares the channels API (no named interface into its internals) and no other adapter, uses it,
     * and no module depends on an adapter, so that adding or removing a channel touches nothing else.
     */
    @Test
    void adaptersStandOnTheChannelsApiAndNothingStandsOnThem() {
        for (var adapter : ADAPTERS) {
            var module = modules.getModuleByName(adapter).orElseThrow(() -> new AssertionError(adapter + " is no module"));
            var declared = module.getAllowedDependencies(modules).stream().toList();
            assertThat(declared).as("%s declares its dependencies, the channels API among them", adapter)
                    .anyMatch(d -> d.getTargetModule().getName().equals("channels") && d.getTargetNamedInterface().isUnnamed())
                    .noneMatch(d -> d.getTargetModule().getName().equals("channels") && d.getTargetNamedInterface().isNamed())
                    .noneMatch(d -> ADAPTERS.contains(d.getTargetModule().getName()));
            assertThat(module.getDirectDependencies(modules).containsModuleNamed("channels"))
                    .as("%s uses the channels API", adapter).isTrue();
        }
        for (var module : modules) {
            assertThat(module.getDirectDependencies(modules).uniqueModules().map(ApplicationModule::getName))
                    .as("modules %s depends on", module.getName()).doesNotContainAnyElementsOf(ADAPTERS);
        }
    }

    @Test
    void committedModuleDocumentationMatchesTheCode(@TempDir Path generated) throws IOException {
        generate(generated);
        assertThat(diagrams(generated)).as("module diagrams generated").isNotEmpty();
        if (Boolean.getBoolean("lifeline.modules.update")) {
            update(generated);
        }
        assertThat(diagrams(COMMITTED))
                .as("docs/modules/ against the code's modules; if the change is deliberate, run ModularityTests "
                        + "with -Dlifeline.modules.update=true and commit the result")
                .isEqualTo(diagrams(generated));
    }

    /**
     * The generator writes the same modules and relations in an order that varies from run to run; the diagrams as
     * written carry them sorted, so that writing them again changes nothing unless the modules changed.
     */
    @Test
    void diagramsAreWrittenTheSameWhateverOrderTheGeneratorGaveThem(@TempDir Path generated) throws IOException {
        generate(generated);
        var diagram = Files.readString(generated.resolve("components.puml"));
        var other = runs(diagram).stream().flatMap(run -> run.reversed().stream())
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(other).as("the same lines in another order").isNotEqualTo(diagram);

        assertThat(canonical(other)).isEqualTo(canonical(diagram));
        assertThat(canonical(diagram).lines().filter(line -> kind(line).equals("Rel(")).toList()).isSorted();
    }

    private static void generate(Path folder) {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(folder.toString()))
                .writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }

    private static void update(Path generated) throws IOException {
        Files.createDirectories(COMMITTED);
        for (var stale : diagrams(COMMITTED).keySet()) {
            Files.delete(COMMITTED.resolve(stale));
        }
        for (var diagram : diagrams(generated).entrySet()) {
            Files.writeString(COMMITTED.resolve(diagram.getKey()), diagram.getValue());
        }
    }

    /** File name to content; a generated diagram as it is written, its lines in {@link #canonical} order. */
    private static Map<String, String> diagrams(Path folder) throws IOException {
        var diagrams = new TreeMap<String, String>();
        if (!Files.isDirectory(folder)) {
            return diagrams;
        }
        try (var files = Files.list(folder)) {
            for (var file : files.filter(f -> f.toString().endsWith(".puml")).toList()) {
                var content = Files.readString(file);
                diagrams.put(file.getFileName().toString(), folder.equals(COMMITTED) ? content : canonical(content));
            }
        }
        return diagrams;
    }

    /**
     * The diagram with each run of consecutive components, and of consecutive relations, sorted: their order carries
     * no meaning, and everything else (boundaries, includes) stays where it is.
     */
    static String canonical(String diagram) {
        return runs(diagram).stream().flatMap(run -> run.stream().sorted()).collect(Collectors.joining("\n", "", "\n"));
    }

    /** The diagram's lines in runs of the same {@link #kind}. */
    private static List<List<String>> runs(String diagram) {
        var runs = new ArrayList<List<String>>();
        for (var line : diagram.lines().toList()) {
            if (runs.isEmpty() || !kind(line).equals(kind(runs.getLast().getFirst()))) {
                runs.add(new ArrayList<>());
            }
            runs.getLast().add(line);
        }
        return runs;
    }

    /** {@code Component(} or {@code Rel(} for the lines whose order means nothing, else the line itself. */
    private static String kind(String line) {
        var stripped = line.strip();
        return Stream.of("Component(", "Rel(").filter(stripped::startsWith).findFirst().orElse(line);
    }
}
