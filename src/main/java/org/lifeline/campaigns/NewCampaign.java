package org.lifeline.campaigns;

import java.time.LocalDate;
import java.util.Set;

/**
 * What a campaign manager gives to create a campaign; the code is drawn at random.
 *
 * @param channels the channels to print entry points for; empty means all of {@link Campaign#CHANNELS}
 */
public record NewCampaign(String name, String language, String audience, Set<String> channels, LocalDate from,
        LocalDate until) {

    public NewCampaign {
        channels = channels == null ? Set.of() : Set.copyOf(channels);
    }
}
