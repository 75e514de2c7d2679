package org.lifeline.campaigns.material;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.EntryPoint;
import org.lifeline.platform.ServiceName;
import org.lifeline.site.ChannelList;
import org.springframework.stereotype.Component;

/**
 * The end card and the leaflet that {@code campaigns create --out} writes beside the QR codes: one pair per Telegram
 * bot of the campaign (their instructions name the bot), with the first hotline number on each. A campaign without
 * a Telegram entry point gets none: its QR codes are its material.
 */
@Component
class PrintedMaterial implements org.lifeline.campaigns.CampaignMaterial {

    private final ServiceName serviceName;
    private final ChannelList channelList;

    PrintedMaterial(ServiceName serviceName, ChannelList channelList) {
        this.serviceName = serviceName;
        this.channelList = channelList;
    }

    @Override
    public void write(Campaign campaign, List<EntryPoint> entryPoints, Path directory, List<Path> written)
            throws IOException {
        var phone = entryPoints.stream().filter(e -> e.channel().equals("phone")).map(EntryPoint::target)
                .findFirst().orElse(null);
        for (var bot : entryPoints.stream().filter(e -> e.channel().equals("telegram")).toList()) {
            var request = new MaterialRequest(campaign.language(), bot.link(), phone, bot.target(),
                    serviceName.in(campaign.language()), channelList.fingerprint());
            written.add(org.lifeline.campaigns.CampaignMaterial.writeNew(
                    directory.resolve("end-card-" + bot.fileName() + ".png"), CampaignMaterial.endCard(request)));
            written.add(org.lifeline.campaigns.CampaignMaterial.writeNew(
                    directory.resolve("leaflet-" + bot.fileName() + ".pdf"), CampaignMaterial.leaflet(request)));
        }
    }
}
