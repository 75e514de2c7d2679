package org.lifeline.operators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

import org.lifeline.platform.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one-time secret that lets a newcomer create the first admin in the console. Nothing about the request
 * grants it (an onion service, an ssh tunnel or a proxy on the server all arrive from loopback): only whoever can
 * read the server's console or its data directory has the token. It lives in {@code <data-dir>/setup-token}
 * (owner-only: the token, then the time it expires), is printed on the console when the server starts (unless the
 * console carries structured logs, which are shipped to a collector: then only the file is named), is valid for
 * {@code lifeline.operators.setup-token-ttl}, and is used up by the admin it creates. Once it has expired, the next
 * start or visit to the setup page issues and prints a new one.
 */
@Component
class SetupToken {

    static final String FILE = "setup-token";
    private static final String VALID_UNTIL = "valid until ";
    private static final Logger log = LoggerFactory.getLogger(SetupToken.class);
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final Path file;
    private final Clock clock;
    private final OperatorsSettings settings;
    private final SecureRandom random = new SecureRandom();
    /** Whether the console is a terminal's plain lines rather than JSON for a log collector. */
    private final boolean printed;

    SetupToken(DataDirectory dataDirectory, Clock clock, OperatorsSettings settings, Environment environment) {
        this.file = dataDirectory.root().resolve(FILE);
        this.clock = clock;
        this.settings = settings;
        var structured = environment.getProperty("logging.structured.format.console");
        this.printed = structured == null || structured.isBlank();
    }

    private record Issued(String token, Instant expires) {
    }

    /**
     * Issues a token unless a valid one exists; never returns it.
     *
     * @param announce print the valid token on the console even if it is not new (at start)
     */
    synchronized void ensureIssued(boolean announce) {
        var valid = read().filter(issued -> clock.instant().isBefore(issued.expires()));
        if (valid.isPresent()) {
            if (announce) {
                show(valid.get());
            }
            return;
        }
        var bytes = new byte[24];
        random.nextBytes(bytes);
        var issued = new Issued(BASE64.encodeToString(bytes), clock.instant().plus(settings.setupTokenTtl()));
        DataDirectory.writeSecret(file, (issued.token() + "\n" + VALID_UNTIL + issued.expires() + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        show(issued);
    }

    /** Whether this is the valid token; compared in constant time. */
    synchronized boolean matches(String candidate) {
        return candidate != null && read().filter(issued -> clock.instant().isBefore(issued.expires()))
                .filter(issued -> MessageDigest.isEqual(issued.token().getBytes(StandardCharsets.UTF_8),
                        candidate.strip().getBytes(StandardCharsets.UTF_8)))
                .isPresent();
    }

    /** The token has been used, or an admin exists: it is gone. */
    synchronized void discard() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the setup token " + file, e);
        }
    }

    private Optional<Issued> read() {
        try {
            var lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            if (lines.size() < 2 || !lines.get(1).startsWith(VALID_UNTIL) || lines.getFirst().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Issued(lines.getFirst().strip(),
                    Instant.parse(lines.get(1).substring(VALID_UNTIL.length()).strip())));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | DateTimeParseException e) {
            // unreadable or edited by hand: a new one is issued
            return Optional.empty();
        }
    }

    private void show(Issued issued) {
        if (!printed) {
            // the console is a structured log, shipped to a collector that others may read: the file alone holds it
            log.warn("No admin yet. Create the first one at /console/setup with the one-time setup token kept in {} "
                    + "(owner-only), valid until {}; or use 'users create' on the command line", file, issued.expires());
            return;
        }
        log.warn("No admin yet. Create the first one at /console/setup with the one-time setup token printed on "
                + "this console and kept in {} (owner-only), valid until {}; or use 'users create' on the command line",
                file, issued.expires());
        // on a terminal only, not in a log line
        System.out.println();
        System.out.println("  Lifeline has no admin yet. One-time setup token (valid until " + issued.expires() + "):");
        System.out.println("    " + issued.token());
        System.out.println("  Open /console/setup and enter it, or run 'users create' on the command line.");
        System.out.println();
    }
}
