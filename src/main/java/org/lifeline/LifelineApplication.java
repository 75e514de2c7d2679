package org.lifeline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/**
 * Lifeline runs as a server, or, when the first argument names a command, runs that command and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(sharedModules = "platform")
public class LifelineApplication {

    public static void main(String[] args) {
        if (LifelineCommandLine.isCommand(args)) {
            System.exit(LifelineCommandLine.execute(args));
        }
        SpringApplication.run(LifelineApplication.class, args);
    }
}
