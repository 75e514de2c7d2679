package org.lifeline.platform;

import java.util.List;

/**
 * What starting on a database did to bring it up to date with what was done after its backup (erasures), for
 * {@code database restore} to print once it has restored one.
 */
public interface RestoredDatabaseReport {

    List<String> lines();
}
