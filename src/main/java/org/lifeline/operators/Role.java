package org.lifeline.operators;

import static org.lifeline.operators.Permission.ASSIGN_CASES;
import static org.lifeline.operators.Permission.CHANGE_CASE_STATUS;
import static org.lifeline.operators.Permission.ERASE_CONTACTS;
import static org.lifeline.operators.Permission.MANAGE_CAMPAIGNS;
import static org.lifeline.operators.Permission.MANAGE_KEYS;
import static org.lifeline.operators.Permission.MANAGE_USERS;
import static org.lifeline.operators.Permission.PLAN_HANDOVER;
import static org.lifeline.operators.Permission.READ_ACCESS_RECORD;
import static org.lifeline.operators.Permission.READ_CASE;
import static org.lifeline.operators.Permission.READ_QUEUE;
import static org.lifeline.operators.Permission.REPLY;
import static org.lifeline.operators.Permission.SEE_REPORTS;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One role per account. The permission matrix lives here and nowhere else (the README shows it). Admins run the
 * system but read no cases: whoever needs both holds two accounts.
 */
public enum Role {
    OPERATOR(READ_QUEUE, READ_CASE, ASSIGN_CASES, REPLY, CHANGE_CASE_STATUS),
    COORDINATOR(READ_QUEUE, READ_CASE, ASSIGN_CASES, CHANGE_CASE_STATUS, PLAN_HANDOVER),
    SUPERVISOR(READ_QUEUE, READ_CASE, ASSIGN_CASES, SEE_REPORTS, MANAGE_CAMPAIGNS, READ_ACCESS_RECORD, ERASE_CONTACTS),
    ADMIN(SEE_REPORTS, MANAGE_CAMPAIGNS, READ_ACCESS_RECORD, MANAGE_USERS, MANAGE_KEYS);

    private final Set<Permission> permissions;

    Role(Permission first, Permission... rest) {
        this.permissions = Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }
}
