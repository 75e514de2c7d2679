package org.lifeline.privacy;

import java.util.Set;

/**
 * A module whose subjects are erased by more than destroying their data key: a contact, whom other modules' listeners
 * erase too. When a database restored from a backup still holds live a key that the erasure journal says was
 * destroyed, these are asked first to erase again, the full way, their subjects under such keys; the keys left over
 * are then destroyed.
 */
public interface ErasedSubjects {

    /** What the subjects are, in the plural, for the log and the access record, such as {@code contacts}. */
    String kind();

    /**
     * Erases again, each as it would be erased today, every subject not erased yet whose data key is one of these.
     *
     * @return how many were erased
     */
    int eraseAgain(Set<DataKeyId> keys);
}
