package org.lifeline.campaigns;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Print and film material for a campaign (a video end card, a leaflet), written by {@code campaigns create --out}
 * after the QR codes. Any bean implementing it is called, in no particular order.
 */
public interface CampaignMaterial {

    /**
     * Writes this material for the campaign into {@code directory}, each file with {@link #writeNew}.
     *
     * @param entryPoints the campaign's entry points, in the order printed
     * @param written where each file goes as soon as it is written: all of them are removed if anything fails
     */
    void write(Campaign campaign, List<EntryPoint> entryPoints, Path directory, List<Path> written) throws IOException;

    /**
     * Writes a file that did not exist. File names tell entry points apart, not campaigns: a file already there may be
     * another campaign's QR code or leaflet, which must be neither replaced (the wrong code printed) nor removed
     * when this create fails and takes away what it wrote.
     */
    static Path writeNew(Path file, byte[] content) throws IOException {
        try {
            return Files.write(file, content, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "already there (another campaign's?): campaigns create writes new files only, give an empty --out");
        }
    }
}
