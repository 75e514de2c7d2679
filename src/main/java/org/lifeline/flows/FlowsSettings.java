package org.lifeline.flows;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param directory flows laid over the shipped ones: same path replaces, new files add flows or languages
 *                  ({@code LIFELINE_FLOWS_DIRECTORY}); null for the shipped flows alone
 */
@ConfigurationProperties("lifeline.flows")
record FlowsSettings(Path directory) {
}
