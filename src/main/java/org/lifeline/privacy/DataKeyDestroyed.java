package org.lifeline.privacy;

/** The data key was destroyed (crypto-shredded): what it protected is erased for good. */
public final class DataKeyDestroyed extends RuntimeException {

    private final DataKeyId key;

    DataKeyDestroyed(DataKeyId key) {
        super("Data key " + key.value() + " was destroyed: the data it protected is erased");
        this.key = key;
    }

    public DataKeyId key() {
        return key;
    }
}
