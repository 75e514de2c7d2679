package org.lifeline.console.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.lifeline.channels.ChannelCopies;
import org.lifeline.channels.SetAsideUpdates;
import org.lifeline.operators.Operator;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Permission;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout needs on every console page: who is signed in, and the navigation they may use. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    /** A navigation entry; {@code current} marks the section the page belongs to. */
    record NavigationLink(String label, String path, boolean current) {
    }

    private final OperatorManagement operators;
    private final ChannelCopies copies;
    private final SetAsideUpdates setAside;

    ConsoleModel(OperatorManagement operators, ChannelCopies copies, SetAsideUpdates setAside) {
        this.operators = operators;
        this.copies = copies;
        this.setAside = setAside;
    }

    /**
     * For admins: how many voicemails the provider still holds because deleting them there failed for good (they
     * are kept safely here); null for everyone else.
     */
    @ModelAttribute("undeletedCopies")
    Integer undeletedCopies() {
        if (!operators.can(Permission.MANAGE_KEYS)) {
            return null;
        }
        var count = copies.undeleted().values().stream().mapToInt(Integer::intValue).sum();
        return count == 0 ? null : count;
    }

    /** For admins: how many inbound updates are set aside, to try again or discard; null for everyone else or none. */
    @ModelAttribute("setAsideUpdates")
    Long setAsideUpdates() {
        if (!operators.can(Permission.MANAGE_KEYS)) {
            return null;
        }
        var count = setAside.count();
        return count == 0 ? null : count;
    }

    @ModelAttribute("operator")
    Operator operator() {
        return operators.current().orElse(null);
    }

    @ModelAttribute("navigation")
    List<NavigationLink> navigation(HttpServletRequest request) {
        var path = request.getRequestURI().substring(request.getContextPath().length());
        return operators.current().map(ConsoleSection::openTo).orElse(List.of()).stream()
                .map(section -> new NavigationLink(section.label(), section.path(), isWithin(path, section.path())))
                .toList();
    }

    private static boolean isWithin(String path, String sectionPath) {
        return path.equals(sectionPath) || !sectionPath.equals("/console") && path.startsWith(sectionPath + "/");
    }
}
