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
        var misplaced = LifelineCommandLine.misplaced(args);
        if (misplaced.isPresent()) {
            System.err.println("error: '" + misplaced.get() + "' comes after options. A command comes first "
                    + "(java -jar lifeline.jar users create ...) and reads its configuration from the environment "
                    + "(LIFELINE_DATA_DIR=...); the server takes only --name=value options. Nothing was started.");
            System.exit(2);
        }
        SpringApplication.run(LifelineApplication.class, args);
    }
}
