package org.lifeline.campaigns;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Outcome;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code campaigns create …} and {@code campaigns list}. */
@Command(name = "campaigns",
        description = "Campaigns: tracked entry points (deep links, web chat links) and their QR codes.",
        mixinStandardHelpOptions = true,
        subcommands = {CampaignsCommand.Create.class, CampaignsCommand.ListCampaigns.class})
public final class CampaignsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a campaign with a random entry code, prints its entry points one a line "
                    + "and writes their QR codes into DIR as PNG and SVG.",
                    "Entry points come from lifeline.site.*: a Telegram deep link per bot, a WhatsApp link per "
                            + "number, a web chat link per chat entry point and onion service, the hotline numbers."})
    static final class Create implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--name", required = true, description = "a name unique among campaigns")
        String name;

        @Option(names = "--language", required = true, paramLabel = "LANG",
                description = "the language its conversations start in: ru, ko, uk or en")
        String language;

        @Option(names = "--audience", paramLabel = "TEXT", description = "who it is for (free text, never a person)")
        String audience;

        @Option(names = "--channels", split = ",", paramLabel = "CHANNEL",
                description = "entry points to print: telegram, whatsapp, webchat, phone (default: all)")
        List<String> channels = List.of();

        @Option(names = "--from", paramLabel = "DATE", description = "first day it counts, YYYY-MM-DD (UTC)")
        LocalDate from;

        @Option(names = "--until", paramLabel = "DATE", description = "last day it counts, YYYY-MM-DD (UTC)")
        LocalDate until;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "where to write the QR codes (created if missing)")
        Path out;

        private final CommandContext context;

        Create(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            var access = context.bean(AccessRecord.class);
            CampaignKit.Created created;
            try {
                created = context.bean(CampaignKit.class).create(new NewCampaign(name, language, audience,
                        new LinkedHashSet<>(channels), from, until), out);
            } catch (InvalidCampaign e) {
                // as the console records a refused one: without what was typed
                access.record(null, "campaigns.create", null, Outcome.REFUSED);
                throw e;
            }
            var campaign = created.campaign();
            // as in the console, with no one signed in: whoever runs commands on the server
            access.record(null, "campaigns.create", campaign.id().value().toString(), Outcome.SUCCEEDED);
            var written = created.files();
            var entryPoints = context.bean(CampaignManagement.class).entryPoints(campaign);
            // standard output is the entry points alone, for scripts; the rest goes to standard error
            for (var entryPoint : entryPoints) {
                spec.commandLine().getOut().println(entryPoint.link());
            }
            var err = spec.commandLine().getErr();
            if (entryPoints.isEmpty()) {
                err.println("warning: no entry points: configure the official channels (lifeline.site.telegram-bots, "
                        + ".whatsapp, .chat-entry-points, .onion-address, .phones) or choose others with --channels");
            }
            err.println("Campaign '" + campaign.name() + "' (entry code " + campaign.code() + "): wrote "
                    + written.size() + " files to " + out.toAbsolutePath().normalize());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists campaigns, the newest first: name, language, dates, whether it runs, entry code.")
    static final class ListCampaigns implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final CommandContext context;

        ListCampaigns(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.bean(AccessRecord.class).record(null, "campaigns.read", null, Outcome.SUCCEEDED);
            for (var campaign : context.bean(CampaignManagement.class).list()) {
                spec.commandLine().getOut().println(String.join("\t", campaign.name(), campaign.language(),
                        (campaign.from() == null ? "" : campaign.from().toString()) + ".."
                                + (campaign.until() == null ? "" : campaign.until().toString()),
                        campaign.active() ? "active" : "stopped", campaign.code()));
            }
            return 0;
        }
    }
}
