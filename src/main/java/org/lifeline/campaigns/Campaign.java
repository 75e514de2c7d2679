package org.lifeline.campaigns;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A campaign as stored.
 *
 * @param code the entry code its links carry
 * @param language the language its conversations start in, whatever the requester's phone says
 * @param audience who it is for, in the campaign manager's words (never a person); or null
 * @param channels the channels whose entry points it prints ({@link #CHANNELS})
 * @param from the first day it counts (inclusive, UTC), or null
 * @param until the last day it counts (inclusive, UTC), or null
 * @param active false once a campaign manager stopped it: its code then starts a conversation like no code
 */
public record Campaign(CampaignId id, String code, String name, String language, String audience,
        Set<String> channels, LocalDate from, LocalDate until, boolean active, Instant createdAt) {

    /** The channels a campaign can print entry points for, in the order they are printed. */
    public static final List<String> CHANNELS = List.of("telegram", "whatsapp", "webchat", "phone");

    public Campaign {
        channels = Set.copyOf(channels);
    }

    /** Whether its code attributes a conversation started on this day. */
    public boolean runsOn(LocalDate day) {
        return active && (from == null || !day.isBefore(from)) && (until == null || !day.isAfter(until));
    }
}
