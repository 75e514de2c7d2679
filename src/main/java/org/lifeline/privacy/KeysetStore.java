package org.lifeline.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.lifeline.platform.DataDirectory;
import org.lifeline.privacy.envelope.BlindIndex;
import org.lifeline.privacy.envelope.EnvelopeException;
import org.lifeline.privacy.envelope.Keysets;
import org.lifeline.privacy.envelope.MasterKey;
import org.springframework.stereotype.Component;

/**
 * Where the master and blind-index keysets come from: configuration (a secret store), or files in
 * {@code <data-dir>/keys} generated on first start. File changes are serialized by a lock file, so processes starting
 * or rotating at once on one data directory never overwrite each other's keys.
 */
@Component
class KeysetStore {

    static final String MASTER_FILE = "master-keyset.json";
    static final String INDEX_FILE = "index-keyset.json";

    /** A file lock belongs to the whole process, so threads of this process queue here first. */
    private static final Object PROCESS_LOCK = new Object();

    private final Path directory;
    private volatile Loaded master;
    private volatile LoadedIndex index;

    KeysetStore(PrivacySettings settings, DataDirectory dataDirectory) {
        try {
            if (settings.keysetsConfigured()) {
                directory = null;
                master = new Loaded(MasterKey.fromJson(settings.masterKeyset()), null);
                index = new LoadedIndex(BlindIndex.fromJson(settings.indexKeyset()), null);
                return;
            }
            directory = dataDirectory.directory("keys");
            exclusively(() -> {
                createIfAbsent(INDEX_FILE, Keysets::newIndexKeyset);
                createIfAbsent(MASTER_FILE, Keysets::newMasterKeyset);
                return null;
            });
            master = load();
            index = loadIndex();
        } catch (EnvelopeException e) {
            throw new KeysUnusable(e.getMessage() + (settings.keysetsConfigured()
                    ? " (lifeline.crypto.*)" : " (" + dataDirectory.directory("keys") + ")"), e);
        }
    }

    boolean masterFromConfiguration() {
        return directory == null;
    }

    /** The master keyset, re-read when another process (such as {@code keys rotate}) has replaced the file. */
    MasterKey master() {
        if (directory != null && !modified().equals(master.modified())) {
            master = load();
        }
        return master.key();
    }

    /** Re-reads the master keyset file regardless of its time stamp, which may be too coarse to show a change. */
    MasterKey reloadMaster() {
        if (directory != null) {
            master = load();
        }
        return master.key();
    }

    /** The blind-index keyset, re-read when another process (such as {@code keys rotate-index}) replaced it. */
    BlindIndex index() {
        if (directory != null && !modified(INDEX_FILE).equals(index.modified())) {
            index = loadIndex();
        }
        return index.key();
    }

    /**
     * Adds a new primary key to the index keyset file (the older keys stay, for lookups), then lets {@code reindex}
     * run while no other change of the keys can start. A keyset from configuration is not changed (its new primary
     * key is added in the secret store): only {@code reindex} runs.
     */
    <T> T rotateIndex(Function<BlindIndex, T> reindex) {
        if (directory == null) {
            // the secret store holds the keyset, with the new primary key added there: re-index under it
            return reindex.apply(index.key());
        }
        return exclusively(() -> {
            DataDirectory.writeSecret(file(INDEX_FILE), loadIndex().key().rotated().toJson().getBytes(UTF_8));
            index = loadIndex();
            return reindex.apply(index.key());
        });
    }

    /** Adds a new primary key to the keyset file, then lets {@code rewrap} run while no other rotation can start. */
    <T> T rotateMaster(Function<MasterKey, T> rewrap) {
        if (directory == null) {
            throw new IllegalStateException("The master keyset comes from configuration "
                    + "(lifeline.crypto.master-keyset), so Lifeline cannot rotate it: add a new primary key to that "
                    + "keyset in your secret store, keeping the old keys, and restart every node.");
        }
        return exclusively(() -> {
            // the file, not the in-memory copy: another process may have rotated since this one read it
            DataDirectory.writeSecret(file(MASTER_FILE), load().key().rotated().toJson().getBytes(UTF_8));
            master = load();
            return rewrap.apply(master.key());
        });
    }

    /**
     * Replaces the master keyset file with one holding only its primary key, after {@code refuseIfInUse} has
     * checked (and may throw) that nothing is wrapped under the older ones. Then {@code stragglers} gets the
     * previous keyset, which still unwraps what another node may have wrapped under an older key meanwhile.
     *
     * @return the ids of the keys removed
     */
    Set<Integer> retireOlderMasterKeys(Consumer<Set<Integer>> refuseIfInUse, Consumer<MasterKey> stragglers) {
        if (directory == null) {
            throw new IllegalStateException("The master keyset comes from configuration "
                    + "(lifeline.crypto.master-keyset), so Lifeline cannot change it: remove the older keys from that "
                    + "keyset in your secret store once `keys rotate` has re-wrapped everything, and restart every node.");
        }
        return exclusively(() -> {
            var previous = load().key();
            var older = previous.olderKeyIds();
            if (older.isEmpty()) {
                return older;
            }
            refuseIfInUse.accept(older);
            DataDirectory.writeSecret(file(MASTER_FILE), previous.primaryOnly().toJson().getBytes(UTF_8));
            master = load();
            stragglers.accept(previous);
            return older;
        });
    }

    Path file(String name) {
        return directory.resolve(name);
    }

    private void createIfAbsent(String name, Supplier<String> keyset) {
        if (!Files.exists(file(name))) {
            DataDirectory.writeSecret(file(name), keyset.get().getBytes(UTF_8));
        }
    }

    private Loaded load() {
        // the time stamp first: a change in between is then seen on the next call rather than missed
        var modified = modified();
        return new Loaded(MasterKey.fromJson(read(MASTER_FILE)), modified);
    }

    private LoadedIndex loadIndex() {
        var modified = modified(INDEX_FILE);
        return new LoadedIndex(BlindIndex.fromJson(read(INDEX_FILE)), modified);
    }

    private FileTime modified() {
        return modified(MASTER_FILE);
    }

    private FileTime modified(String name) {
        try {
            return Files.getLastModifiedTime(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the keyset file " + name + " in " + directory, e);
        }
    }

    private String read(String name) {
        try {
            return Files.readString(file(name), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read keyset file " + file(name), e);
        }
    }

    private <T> T exclusively(Supplier<T> action) {
        synchronized (PROCESS_LOCK) {
            try (var channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); var ignored = channel.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock the key directory " + directory, e);
            }
        }
    }

    private record Loaded(MasterKey key, FileTime modified) {
    }

    private record LoadedIndex(BlindIndex key, FileTime modified) {
    }
}
