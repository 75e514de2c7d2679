package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
        assertThat(diagrams(generated)).as("module diagrams generated").isNotEmpty();
        if (Boolean.getBoolean("lifeline.modules.update")) {
            update(generated);
        }
        assertThat(diagrams(COMMITTED))
                .as("docs/modules/ against the code's modules; if the change is deliberate, run ModularityTests "
                        + "with -Dlifeline.modules.update=true and commit the result")
                .isEqualTo(diagrams(generated));
    }

    private static void update(Path generated) throws IOException {
        Files.createDirectories(COMMITTED);
        for (var stale : diagrams(COMMITTED).keySet()) {
            Files.delete(COMMITTED.resolve(stale));
        }
        for (var diagram : diagrams(generated).keySet()) {
            Files.copy(generated.resolve(diagram), COMMITTED.resolve(diagram), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * File name to content, its lines sorted: the generator writes the same relations in varying order from run to
     * run, and the order carries no meaning.
     */
    private static Map<String, String> diagrams(Path folder) throws IOException {
        var diagrams = new TreeMap<String, String>();
        if (!Files.isDirectory(folder)) {
            return diagrams;
        }
        try (var files = Files.list(folder)) {
            for (var file : files.filter(f -> f.toString().endsWith(".puml")).toList()) {
                diagrams.put(file.getFileName().toString(),
                        String.join("\n", Files.readString(file).lines().sorted().toList()));
            }
        }
        return diagrams;
    }
}
