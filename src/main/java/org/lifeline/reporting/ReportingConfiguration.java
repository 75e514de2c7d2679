package org.lifeline.reporting;

import java.util.Optional;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;

@Configuration(proxyBeanMethods = false)
class ReportingConfiguration {

    /**
     * Until a campaigns module says otherwise, no conversation came through a campaign. A fallback rather than
     * {@code @ConditionalOnMissingBean}, which in an application's own configuration depends on the order beans are
     * registered in: any other implementation, wherever it is declared, wins.
     */
    @Bean
    @Fallback
    CampaignOfConversation noCampaigns() {
        return conversation -> Optional.empty();
    }
}
