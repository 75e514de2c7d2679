package org.lifeline.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dataDir where the embedded database and generated keys live ({@code LIFELINE_DATA_DIR})
 * @param backgroundWork whether schedulers (dispatchers, pollers, retention) run; off for command-line runs
 */
@ConfigurationProperties("lifeline")
public record PlatformSettings(@DefaultValue("./data") Path dataDir, @DefaultValue("true") boolean backgroundWork) {
}
