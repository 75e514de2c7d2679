package org.lifeline.campaigns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Writes what a campaign needs printed or filmed: a QR code per entry point, as PNG and SVG, then whatever
 * {@link CampaignMaterial} there is (end cards, leaflets).
 */
@Component
public class CampaignKit {

    /** 20 pixels a module: a version 4 code with its quiet zone is about 1,000 pixels across, sharp on any screen. */
    public static final int PIXELS_PER_MODULE = 20;

    private final CampaignManagement campaigns;
    private final ObjectProvider<CampaignMaterial> material;

    CampaignKit(CampaignManagement campaigns, ObjectProvider<CampaignMaterial> material) {
        this.campaigns = campaigns;
        this.material = material;
    }

    /** Writes into {@code directory} (created if missing) and returns the files written. */
    public List<Path> write(Campaign campaign, Path directory) throws IOException {
        Files.createDirectories(directory);
        var entryPoints = campaigns.entryPoints(campaign);
        var written = new ArrayList<Path>();
        for (var entryPoint : entryPoints) {
            var png = directory.resolve(entryPoint.fileName() + ".png");
            if (!ImageIO.write(QrCodes.image(entryPoint.link(), PIXELS_PER_MODULE), "png", png.toFile())) {
                throw new IOException("No PNG writer");
            }
            written.add(png);
            var svg = directory.resolve(entryPoint.fileName() + ".svg");
            Files.writeString(svg, QrCodes.svg(entryPoint.link()));
            written.add(svg);
        }
        for (var each : material.orderedStream().toList()) {
            written.addAll(each.write(campaign, entryPoints, directory));
        }
        return written;
    }
}
