package org.lifeline.platform;

import org.springframework.core.env.PropertyResolver;

/** Which database this node runs on, as its configuration says (known before any connection is made). */
public final class Databases {

    private Databases() {
    }

    /** Whether it is H2 (the embedded default, or one configured by URL). */
    public static boolean onH2(PropertyResolver environment) {
        return environment.getProperty("spring.datasource.url", "").startsWith("jdbc:h2:");
    }
}
