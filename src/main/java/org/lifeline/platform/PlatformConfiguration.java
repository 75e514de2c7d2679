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
}
