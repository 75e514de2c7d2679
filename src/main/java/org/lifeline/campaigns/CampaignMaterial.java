package org.lifeline.campaigns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Print and film material for a campaign (a video end card, a leaflet), written by {@code campaigns create --out}
 * after the QR codes. Any bean implementing it is called, in no particular order.
 */
public interface CampaignMaterial {

    /**
     * Writes this material for the campaign into {@code directory}.
     *
     * @param entryPoints the campaign's entry points, in the order printed
     * @return the files written
     */
    List<Path> write(Campaign campaign, List<EntryPoint> entryPoints, Path directory) throws IOException;
}
