package org.lifeline.console.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.lifeline.operators.OperatorManagement;
import org.lifeline.privacy.AccessRecord.Filter;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The access record for supervisors and admins: newest first, filtered by who, action, subject, outcome and day,
 * a page at a time. Looking is itself recorded ({@code access-record.read}).
 */
@Controller
class AccessRecordController {

    static final String PATH = "/console/access";
    static final int PAGE = 100;
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final AccessRecord access;
    private final OperatorManagement operators;
    private final ConsoleLanguage text;

    AccessRecordController(AccessRecord access, OperatorManagement operators, ConsoleLanguage text) {
        this.access = access;
        this.operators = operators;
        this.text = text;
    }

    @GetMapping(PATH)
    @Transactional
    String show(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String subject, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String from, @RequestParam(required = false) String until,
            @RequestParam(required = false) Long before, Model model) {
        Map<UUID, String> names = new LinkedHashMap<>();
        operators.list().forEach(o -> names.put(o.id().value(), o.username()));
        var problems = new ArrayList<String>();
        var actorId = blank(actor) ? null : names.entrySet().stream().filter(e -> e.getValue().equals(actor.strip()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (!blank(actor) && actorId == null) {
            problems.add("console.access.invalid.actor");
        }
        var filter = new Filter(actorId, checked(ACTION, action, "action", problems),
                checked(SUBJECT, subject, "subject", problems), outcome(outcome, problems),
                day(from, false, problems), day(until, true, problems), before);
        access.record("access-record.read", null, Outcome.SUCCEEDED);
        var entries = problems.isEmpty() ? access.search(filter, PAGE + 1) : List.<AccessRecord.Entry>of();
        model.addAttribute("entries", entries.size() > PAGE ? entries.subList(0, PAGE) : entries);
        model.addAttribute("next", entries.size() > PAGE ? entries.get(PAGE - 1).seq() : null);
        model.addAttribute("names", names);
        model.addAttribute("outcomes", Outcome.values());
        model.addAttribute("problem", problems.isEmpty() ? null
                : problems.stream().map(text::text).collect(Collectors.joining(" ")));
        model.addAttribute("head", access.head());
        return "console/access";
    }

    private static String checked(Pattern pattern, String value, String what, List<String> problems) {
        if (blank(value)) {
            return null;
        }
        if (!pattern.matcher(value.strip()).matches()) {
            problems.add("console.access.invalid." + what);
            return null;
        }
        return value.strip();
    }

    private static Outcome outcome(String value, List<String> problems) {
        if (blank(value)) {
            return null;
        }
        try {
            return Outcome.valueOf(value);
        } catch (IllegalArgumentException e) {
            problems.add("console.access.invalid.outcome");
            return null;
        }
    }

    /** A day (UTC); {@code until} includes the whole day. */
    private static Instant day(String value, boolean until, List<String> problems) {
        if (blank(value)) {
            return null;
        }
        try {
            var day = LocalDate.parse(value.strip());
            return (until ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            problems.add("console.access.invalid.day");
            return null;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
