package org.lifeline.platform;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    /** The one source of "now", so that recorded times are testable and consistent across modules. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** On H2, the pool's connections keep their locking statements prepared: see {@link H2LockingStatements}. */
    @Bean
    static org.springframework.beans.factory.config.BeanPostProcessor h2LockingStatements() {
        return new H2LockingStatements.UnderThePool();
    }
}
