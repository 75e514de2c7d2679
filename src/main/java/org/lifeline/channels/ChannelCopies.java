package org.lifeline.channels;

import java.util.Map;

/**
 * Copies a channel keeps of what requesters sent (a provider's call recordings) that could not be deleted there,
 * however often it was tried: an admin deletes them in the provider's console, then says so here.
 */
public interface ChannelCopies {

    /** How many such copies each channel has left, not yet acknowledged; empty when none. */
    Map<String, Integer> undeleted();

    /** An admin deleted them at the provider by hand: they are no longer shown. Returns how many there were. */
    int acknowledge();
}
