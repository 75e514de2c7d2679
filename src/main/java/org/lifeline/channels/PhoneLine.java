package org.lifeline.channels;

import java.util.Map;

/** The phone line as the console sees it: callers in the queue for an operator now, by language. */
public interface PhoneLine {

    /** Callers waiting for an operator, by language code; empty when the phone line is off or nobody waits. */
    Map<String, Integer> waitingByLanguage();
}
