package org.lifeline.platform;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the application has started (the server, or a command before it runs), the embedded database's files
 * exist: they are made owner-only like everything else in the data directory, including those of an older
 * installation.
 */
@Component
class DataDirectoryPermissions {

    private final DataDirectory directory;

    DataDirectoryPermissions(DataDirectory directory) {
        this.directory = directory;
    }

    @EventListener(ApplicationReadyEvent.class)
    void restrict() {
        directory.restrictAll();
    }
}
