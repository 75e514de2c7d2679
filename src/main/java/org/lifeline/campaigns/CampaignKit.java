package org.lifeline.campaigns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

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

    /** A campaign created, and the files written for it. */
    public record Created(Campaign campaign, List<Path> files) {
    }

    /**
     * Creates the campaign and writes its files into {@code directory}, in one transaction: when a file cannot be
     * written (a leaflet's font lacks a character of the service's name), there is no campaign afterwards and none
     * of its files, so nothing runs that was never printed and its name stays free.
     */
    @Transactional(rollbackFor = Exception.class)
    public Created create(NewCampaign draft, Path directory) throws IOException {
        var campaign = campaigns.create(draft);
        return new Created(campaign, write(campaign, directory));
    }

    /** Writes into {@code directory} (created if missing) and returns the files written; none when one fails. */
    List<Path> write(Campaign campaign, Path directory) throws IOException {
        Files.createDirectories(directory);
        var written = new ArrayList<Path>();
        try {
            write(campaign, directory, written);
            return written;
        } catch (IOException | RuntimeException e) {
            for (var file : written) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    private void write(Campaign campaign, Path directory, List<Path> written) throws IOException {
        var entryPoints = campaigns.entryPoints(campaign);
        for (var entryPoint : entryPoints) {
            var png = new ByteArrayOutputStream();
            if (!ImageIO.write(QrCodes.image(entryPoint.link(), PIXELS_PER_MODULE), "png", png)) {
                throw new IOException("No PNG writer");
            }
            written.add(CampaignMaterial.writeNew(directory.resolve(entryPoint.fileName() + ".png"), png.toByteArray()));
            written.add(CampaignMaterial.writeNew(directory.resolve(entryPoint.fileName() + ".svg"),
                    QrCodes.svg(entryPoint.link()).getBytes(StandardCharsets.UTF_8)));
        }
        for (var each : material.orderedStream().toList()) {
            each.write(campaign, entryPoints, directory, written);
        }
    }
}
