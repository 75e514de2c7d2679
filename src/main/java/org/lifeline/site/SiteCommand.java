package org.lifeline.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code site export DIR} and {@code site verify-channels FILE --public-key FILE}. */
@Command(name = "site",
        description = "The public site: the static mirror kit and the signed list of official channels.",
        mixinStandardHelpOptions = true,
        subcommands = {SiteCommand.Export.class, SiteCommand.VerifyChannels.class})
public final class SiteCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes the public pages of every language, the stylesheet and the signed channel list "
                    + "as static files into DIR, for hosting on a mirror.",
                    "Their chat links go to lifeline.site.chat-entry-points."})
    static final class Export implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "where to write the site (created if missing)")
        Path dir;

        private final CommandContext context;

        Export(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            var files = context.bean(MirrorExport.class).export(dir);
            spec.commandLine().getOut().println("Wrote " + files.size() + " files to " + dir.toAbsolutePath().normalize());
            return 0;
        }
    }

    @Command(name = "verify-channels", mixinStandardHelpOptions = true,
            description = "Checks a signed channel list (lifeline-channels.json) against the published public key "
                    + "(lifeline-channels.pub.json); prints the channels and the key's fingerprint (compare it with the "
                    + "one on our leaflets and in the bot's /verify answer) and when the list was signed when it verifies; exits 1 "
                    + "when it does not, or when the list has expired (an old copy, perhaps from a mirror since withdrawn).")
    static final class VerifyChannels implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the channel list")
        Path file;

        @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "the public keyset")
        Path publicKey;

        @Option(names = "--fingerprint", paramLabel = "HEX", description = "the fingerprint printed on our leaflets "
                + "(spaces and case do not matter): the list verifies only if its key has this one")
        String fingerprint;

        @Override
        public Integer call() throws IOException {
            try {
                var key = Files.readString(publicKey);
                var keyFingerprint = ChannelList.fingerprint(key);
                if (fingerprint != null && !sameFingerprint(fingerprint, keyFingerprint)) {
                    throw new GeneralSecurityException("the public key's fingerprint is not the one given: this is not our key");
                }
                var verified = ChannelList.verify(Files.readString(file), key, Instant.now());
                spec.commandLine().getOut().println("Verified: this is the official channel list.");
                spec.commandLine().getOut().println("Signed on " + verified.issuedAt() + ", valid until "
                        + verified.expiresAt() + "; a list signed later replaces it.");
                spec.commandLine().getOut().println(verified.payload());
                spec.commandLine().getOut().println("Signing key fingerprint: " + keyFingerprint);
                return 0;
            } catch (GeneralSecurityException e) {
                spec.commandLine().getErr().println("NOT VERIFIED: do not trust this list (" + e.getMessage() + ")");
                return 1;
            }
        }

        private static boolean sameFingerprint(String given, String actual) {
            return given.replaceAll("\\s", "").equalsIgnoreCase(actual.replaceAll("\\s", ""));
        }
    }
}
