package org.lifeline.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps and sets that keep only so many entries, the least recently used forgotten first, so that keys a flood
 * chooses (tokens, nonces, sessions) cannot exhaust memory. Safe to use from several threads; a compound action
 * (check, then act) synchronizes on the collection itself, as {@link Collections#synchronizedMap} says.
 */
public final class Bounded {

    private Bounded() {
    }

    public static <K, V> Map<K, V> map(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }

    public static <E> Set<E> set(int capacity) {
        return Collections.newSetFromMap(map(capacity));
    }
}
