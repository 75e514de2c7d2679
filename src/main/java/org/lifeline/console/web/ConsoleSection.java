package org.lifeline.console.web;

import java.util.Arrays;
import java.util.List;

import org.lifeline.operators.Operator;
import org.lifeline.operators.Permission;

/**
 * The console's sections, in navigation order, each shown to whoever holds its permission. A new console page
 * (case list, coordinator view, reports) adds its entry here and its rule in {@link ConsoleSecurityConfiguration}.
 */
enum ConsoleSection {
    QUEUE("Queue", "/console", Permission.READ_QUEUE),
    HANDOVERS("Handovers", HandoverController.PATH, Permission.PLAN_HANDOVER),
    USERS("Users", UsersController.PATH, Permission.MANAGE_USERS);

    private final String label;
    private final String path;
    private final Permission permission;

    ConsoleSection(String label, String path, Permission permission) {
        this.label = label;
        this.path = path;
        this.permission = permission;
    }

    static List<ConsoleSection> openTo(Operator operator) {
        return Arrays.stream(values()).filter(section -> operator.can(section.permission)).toList();
    }

    String label() {
        return label;
    }

    String path() {
        return path;
    }
}
