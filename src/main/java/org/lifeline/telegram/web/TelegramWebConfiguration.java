package org.lifeline.telegram.web;

import jakarta.servlet.DispatcherType;
import org.lifeline.telegram.TelegramIntake;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class TelegramWebConfiguration {

    /**
     * The webhook, right after the security headers and the request observation (the two lowest orders), before
     * every other filter and the dispatcher servlet; requests only (an error dispatch to its path is not a delivery).
     */
    @Bean
    FilterRegistrationBean<TelegramWebhookFilter> telegramWebhook(TelegramIntake intake) {
        var registration = new FilterRegistrationBean<>(new TelegramWebhookFilter(intake));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns(TelegramWebhookFilter.PATH + "*");
        return registration;
    }
}
