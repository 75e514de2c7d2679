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
    QUEUE("console.section.queue", "/console", Permission.READ_QUEUE),
    HANDOVERS("console.section.handovers", HandoverController.PATH, Permission.PLAN_HANDOVER),
    DUTY("console.section.duty", DutyController.PATH, Permission.READ_CASE),
    USERS("console.section.users", UsersController.PATH, Permission.MANAGE_USERS),
    CAMPAIGNS("console.section.campaigns", CampaignsController.PATH, Permission.MANAGE_CAMPAIGNS),
    REPORTS("console.section.reports", ReportsController.PATH, Permission.SEE_REPORTS),
    ACCESS_RECORD("console.section.access", AccessRecordController.PATH, Permission.READ_ACCESS_RECORD),
    INBOUND_FAILED("console.section.inbound-failed", SetAsideController.PATH, Permission.MANAGE_KEYS);

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
