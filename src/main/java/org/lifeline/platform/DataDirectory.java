package org.lifeline.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.springframework.stereotype.Component;

/**
 * The directory holding the embedded database and generated key material. Created owner-only.
 */
@Component
public class DataDirectory {

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_DIRECTORY =
            PosixFilePermissions.fromString("rwx------");
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_FILE =
            PosixFilePermissions.fromString("rw-------");

    private final Path root;

    public DataDirectory(PlatformSettings settings) {
        this.root = settings.dataDir().toAbsolutePath().normalize();
        createPrivate(root);
    }

    public Path root() {
        return root;
    }

    /** A sub-directory, created owner-only if missing. */
    public Path directory(String name) {
        var dir = root.resolve(name);
        createPrivate(dir);
        return dir;
    }

    /**
     * Makes everything under the data directory owner-only: directories 0700, files 0600. Files Lifeline writes
     * itself are created so; the embedded database's files are created by H2 with the process's umask, hence this.
     */
    public void restrictAll() {
        if (!supportsPosix(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.forEach(path -> {
                try {
                    if (Files.isSymbolicLink(path)) {
                        return;
                    }
                    Files.setPosixFilePermissions(path, Files.isDirectory(path) ? OWNER_DIRECTORY : OWNER_FILE);
                } catch (java.nio.file.NoSuchFileException e) {
                    // a temporary file H2 has just removed: nothing to protect
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot make " + path + " owner-only", e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the data directory owner-only", e);
        }
    }

    /** Makes a file H2 created (with the process's umask) owner-only, where the file system knows permissions. */
    static void restrict(Path file) throws IOException {
        if (supportsPosix(file.getParent())) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }

    /** Writes a secret file readable by the owner only (mode 0600), replacing any previous one atomically. */
    public static void writeSecret(Path file, byte[] content) {
        try {
            var tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (supportsPosix(file.getParent())) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.write(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write secret file " + file, e);
        }
    }

    static void createPrivate(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            if (supportsPosix(dir.getParent() == null ? dir : dir.getParent())) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // created concurrently by another node or thread: fine
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directory " + dir, e);
        }
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
