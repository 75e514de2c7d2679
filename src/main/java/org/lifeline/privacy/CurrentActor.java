package org.lifeline.privacy;

import java.util.Optional;
import java.util.UUID;

/**
 * Who acts now, for the access record: the signed-in operator's id, or empty (a command, a scheduled job). The
 * module that signs people in implements it, so that privacy needs no module above it.
 */
public interface CurrentActor {

    Optional<UUID> id();
}
