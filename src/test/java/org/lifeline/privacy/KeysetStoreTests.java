package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.DataDirectory;
import org.lifeline.platform.PlatformSettings;
import org.lifeline.privacy.envelope.Keysets;

class KeysetStoreTests {

    @TempDir
    Path dataDir;

    @Test
    void generatesOwnerOnlyKeysetFilesOnFirstStart() throws Exception {
        var store = fileStore(dataDir);

        for (var name : new String[] {KeysetStore.MASTER_FILE, KeysetStore.INDEX_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file(name))))
                    .as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void keepsExistingKeysetsOnTheNextStart() {
        var first = fileStore(dataDir);
        var id = UUID.randomUUID();
        var wrapped = first.master().newDataKey(id).wrapped();

        var second = fileStore(dataDir);

        assertThat(second.index().compute("p", "v")).isEqualTo(first.index().compute("p", "v"));
        assertThat(second.master().unwrap(id, wrapped.bytes())).isNotNull();
    }

    @Test
    void processesStartingAtOnceOnOneDataDirectoryEndUpWithTheSameKeys() throws Exception {
        var processes = new ArrayList<Process>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KeysetStoreProcess.class.getName(), dataDir.toString())
                    .redirectErrorStream(true)
                    .start());
        }
        var indexes = new ArrayList<String>();
        for (var process : processes) {
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            indexes.add(output.lines().reduce((a, b) -> b).orElseThrow());
        }

        assertThat(indexes).hasSize(3).containsOnly(KeysetStoreProcess.probe(fileStore(dataDir)));
    }

    @Test
    void usesConfiguredKeysetsAndWritesNoKeyFiles() {
        var index = Keysets.newIndexKeyset();
        var store = new KeysetStore(settings(Keysets.newMasterKeyset(), index), dataDirectory(dataDir));

        assertThat(store.masterFromConfiguration()).isTrue();
        assertThat(store.index().compute("p", "v"))
                .isEqualTo(new KeysetStore(settings(Keysets.newMasterKeyset(), index), dataDirectory(dataDir))
                        .index().compute("p", "v"));
        assertThat(dataDir.resolve("keys")).doesNotExist();
    }

    @Test
    void refusesHalfConfiguredKeysets() {
        assertThatThrownBy(() -> new KeysetStore(settings(Keysets.newMasterKeyset(), null), dataDirectory(dataDir)))
                .isInstanceOf(KeysUnusable.class)
                .hasMessageContaining("Set both lifeline.crypto.master-keyset and lifeline.crypto.index-keyset");
    }

    @Test
    void refusesAnInvalidConfiguredKeysetWithoutQuotingIt() {
        var secretLooking = "{\"primaryKeyId\": 1, \"key\": [{\"value\": \"c2VjcmV0\"";

        assertThatThrownBy(() -> new KeysetStore(settings(secretLooking, Keysets.newIndexKeyset()),
                dataDirectory(dataDir)))
                .isInstanceOf(KeysUnusable.class)
                .hasMessage("The master keyset is not a valid Tink JSON keyset (lifeline.crypto.*)")
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void explainsUnusableKeysAtStartUp() {
        var analysis = new KeysFailureAnalyzer().analyze(new IllegalStateException("context failed",
                new KeysUnusable("The master keyset cannot unwrap the data keys in this database", null)));

        assertThat(analysis.getDescription()).isEqualTo("The master keyset cannot unwrap the data keys in this database");
        assertThat(analysis.getAction()).contains("LIFELINE_CRYPTO_MASTER_KEYSET").contains("Data protection");
    }

    @Test
    void refusesToRotateAConfiguredMasterKeyset() {
        var store = new KeysetStore(settings(Keysets.newMasterKeyset(), Keysets.newIndexKeyset()),
                dataDirectory(dataDir));

        assertThatThrownBy(() -> store.rotateMaster(master -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("comes from configuration")
                .hasMessageContaining("in your secret store");
    }

    @Test
    void settingsNeverPrintTheKeysets() {
        var master = Keysets.newMasterKeyset();

        assertThat(settings(master, Keysets.newIndexKeyset()).toString())
                .doesNotContain(master).doesNotContain("primaryKeyId").contains("keysetsConfigured=true");
    }

    @Test
    void seesARotationWrittenByAnotherProcess() {
        var server = fileStore(dataDir);
        var before = server.master().primaryKeyId();

        var rotated = fileStore(dataDir).rotateMaster(master -> master.primaryKeyId());

        assertThat(rotated).isNotEqualTo(before);
        assertThat(server.reloadMaster().primaryKeyId()).isEqualTo(rotated);
    }

    static KeysetStore fileStore(Path dataDir) {
        return new KeysetStore(settings(null, null), dataDirectory(dataDir));
    }

    static PrivacySettings settings(String master, String index) {
        return new PrivacySettings(master, index, 100, Duration.ofMinutes(1), null);
    }

    private static DataDirectory dataDirectory(Path dataDir) {
        return new DataDirectory(new PlatformSettings(dataDir, false));
    }

    /** One process starting on a data directory: prints a blind index that identifies the keys it ended up with. */
    static final class KeysetStoreProcess {

        public static void main(String[] args) {
            System.out.println(probe(fileStore(Path.of(args[0]))));
        }

        static String probe(KeysetStore store) {
            var id = UUID.randomUUID();
            store.master().unwrap(id, store.master().newDataKey(id).wrapped().bytes());
            return HexFormat.of().formatHex(store.index().compute("probe", "probe"))
                    + " master " + Integer.toUnsignedString(store.master().primaryKeyId());
        }
    }
}
