package org.lifeline.console.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;

import org.lifeline.campaigns.CampaignId;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.cases.CaseId;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseUnchangeable;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseLifecycle;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.IllegalTransition;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationView;
import org.lifeline.conversations.MessageId;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Permission;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.reporting.OperatorAnswers;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The case page and a conversation without a case: the transcript, the answers, status changes, assignment and
 * replies. Every opening and every change goes into the {@link AccessRecord}, with the case or conversation id.
 * Who may do what is decided by URL in {@link ConsoleSecurityConfiguration}.
 */
@Controller
class CaseController {

    static final String CASES = "/console/cases";
    static final String CONVERSATIONS = "/console/conversations";

    private final CaseManagement cases;
    private final ConversationManagement conversations;
    private final ChannelGateway gateway;
    private final CannedReplies canned;
    private final AccessRecord access;
    private final OperatorManagement operators;
    private final ConsoleChanges changes;
    private final OperatorAnswers answers;

    private final ConsoleLanguage text;
    private final CampaignManagement campaigns;
    private final ReplyForms replyForms;

    CaseController(CaseManagement cases, ConversationManagement conversations, ChannelGateway gateway,
            CannedReplies canned, AccessRecord access, OperatorManagement operators, ConsoleLanguage text,
            ConsoleChanges changes, CampaignManagement campaigns, OperatorAnswers answers, ReplyForms replyForms) {
        this.replyForms = replyForms;
        this.campaigns = campaigns;
        this.answers = answers;
        this.cases = cases;
        this.conversations = conversations;
        this.gateway = gateway;
        this.canned = canned;
        this.access = access;
        this.operators = operators;
        this.text = text;
        this.changes = changes;
    }

    @GetMapping(CASES + "/{id}")
    @Transactional
    String showCase(@PathVariable UUID id, Model model) {
        var view = caseOf(id);
        access.record("case.read", id.toString(), Outcome.SUCCEEDED);
        model.addAttribute("kase", view);
        model.addAttribute("history", cases.history(view.id()));
        model.addAttribute("location", location(view.details()));
        model.addAttribute("answers", answers(view.details()));
        // only the forms the case still takes: an erased case takes none, a finished one only its status changes
        var next = view.erased() ? Set.<CaseStatus>of() : CaseLifecycle.allowedNext(view.state());
        model.addAttribute("nextStatuses", next.stream().filter(s -> s != CaseStatus.CLOSED).toList());
        model.addAttribute("closeReasons", view.erased() ? Set.of() : CaseLifecycle.closeReasons(view.state()));
        model.addAttribute("assignable", !view.erased() && !CaseLifecycle.finished(view.state()));
        model.addAttribute("users", operators.holding(Permission.READ_CASE));
        if (view.conversation() != null) {
            conversationModel(view.conversation(), model);
        }
        return "console/case";
    }

    @GetMapping(CONVERSATIONS + "/{id}")
    @Transactional
    String showConversation(@PathVariable UUID id, Model model) {
        var conversation = new ConversationId(id);
        var existing = cases.findByConversation(conversation);
        if (existing.isPresent()) {
            return "redirect:" + CASES + "/" + existing.get().id().value();
        }
        conversationModel(conversation, model);
        return "console/case";
    }

    private void conversationModel(ConversationId id, Model model) {
        var conversation = existing(id);
        access.record("transcript.read", id.value().toString(), Outcome.SUCCEEDED);
        model.addAttribute("conversation", conversation);
        model.addAttribute("campaign", conversation.campaign() == null ? null
                : campaigns.campaign(new CampaignId(conversation.campaign())).name());
        model.addAttribute("transcript", conversations.transcript(id));
        var attachments = new HashMap<MessageId, String>();
        conversations.attachmentTypes(id).forEach((message, type) -> attachments.put(message,
                AttachmentController.display(type)));
        model.addAttribute("attachments", attachments);
        // each reply's meaning in the operator's own language; it goes out in the requester's
        model.addAttribute("cannedReplies", canned.choices(LocaleContextHolder.getLocale().getLanguage()));
        model.addAttribute("cannedInOwnLanguage", CannedReplies.supports(conversation.language()));
        // one nonce per form shown: posted twice (a double click), it queues one reply
        model.addAttribute("cannedForm", replyForms.nonce());
        model.addAttribute("textForm", replyForms.nonce());
    }

    /**
     * A free-text reply, or a canned one by key rendered in the requester's language. A free text that does not
     * look like his language comes back with a warning unless {@code anyway} is set. A form's {@code nonce} queues
     * one reply, however often and on whichever nodes it is posted: a post of a form whose reply is queued is
     * answered as that one was, and sends nothing.
     */
    @PostMapping(CONVERSATIONS + "/{id}/replies")
    String reply(@PathVariable UUID id, @RequestParam(required = false) String text,
            @RequestParam(required = false) String canned, @RequestParam(required = false) String nonce,
            @RequestParam Map<String, String> form, @RequestParam(defaultValue = "false") boolean anyway,
            RedirectAttributes redirect) {
        if (nonce != null && !ReplyForms.wellFormed(nonce)) {
            // no form carries it: a bad request, not a failure (whose message would carry it)
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        var conversationId = new ConversationId(id);
        var conversation = existing(conversationId);
        var back = back(conversationId);
        String body;
        if (canned != null && !canned.isBlank()) {
            if (!this.canned.knows(canned)) {
                // no form offers it: a bad request, not a failure (whose message would carry the key)
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
            }
            body = this.canned.render(canned, conversation.language(), form);
        } else if (text != null && !text.isBlank()) {
            body = text.strip();
            if (!anyway && !Scripts.looksLike(body, conversation.language())) {
                redirect.addFlashAttribute("draft", body);
                redirect.addFlashAttribute("problem", this.text.text("console.case.reply.not-language", conversation.language()));
                return "redirect:" + back;
            }
        } else {
            redirect.addFlashAttribute("problem", this.text.text("console.case.reply.empty"));
            return "redirect:" + back;
        }
        try {
            changes.run(() -> {
                if (nonce != null && !replyForms.take(nonce)) {
                    return;
                }
                gateway.send(conversationId, new OutboundContent.Text(body));
                answers.answered(conversationId);
                access.record("conversation.reply", id.toString(), Outcome.SUCCEEDED);
            });
        } catch (IllegalStateException e) {
            // no way back to him: a channel without replies, or a contact who asked to be forgotten
            access.record("conversation.reply", id.toString(), Outcome.REFUSED);
            redirect.addFlashAttribute("problem", this.text.text("console.case.reply.refused", e.getMessage()));
            return "redirect:" + back;
        }
        redirect.addFlashAttribute("notice", this.text.text("console.case.reply.queued"));
        return "redirect:" + back;
    }

    /** Any allowed next status with a required reason; closing as a duplicate names the case it duplicates. */
    @PostMapping(CASES + "/{id}/status")
    String changeStatus(@PathVariable UUID id, @RequestParam String to,
            @RequestParam(required = false) CloseReason closeReason,
            @RequestParam(required = false) String duplicateOf, @RequestParam String reason,
            @RequestParam long version, RedirectAttributes redirect) {
        var view = caseOf(id);
        if (view.erased()) {
            return refuse(id, text.text("console.case.unchangeable.erased"), redirect);
        }
        if (reason.isBlank()) {
            return refuse(id, text.text("console.case.status.reason-missing"), redirect);
        }
        try {
            changes.run(() -> {
                var status = CaseStatus.valueOf(to);
                var change = status == CaseStatus.CLOSED ? StatusChange.close(closeReason) : StatusChange.to(status);
                var basedOn = version;
                if (closeReason == CloseReason.DUPLICATE) {
                    var original = duplicateOf == null ? null : cases.findByReference(duplicateOf).orElse(null);
                    if (original == null || original.id().equals(view.id())) {
                        throw new ConsoleChanges.Refused(text.text("console.case.duplicate.missing"));
                    }
                    var details = new LinkedHashMap<>(view.details());
                    details.put("duplicate_of", original.reference());
                    basedOn = cases.updateDetails(view.id(), details, version).version();
                }
                cases.transition(view.id(), change, reason.strip(), actor(), basedOn);
                access.record("case.status", id.toString(), Outcome.SUCCEEDED);
            });
        } catch (CaseUnchangeable e) {
            return refuse(id, text.refusal(e), redirect);
        } catch (ConsoleChanges.Refused | IllegalArgumentException | IllegalTransition
                | OptimisticLockingFailureException e) {
            return refuse(id, e.getMessage(), redirect);
        }
        return "redirect:" + CASES + "/" + id;
    }

    /** A provocation or a fake: the case is closed as such and the contact can no longer reach us. */
    @PostMapping(CASES + "/{id}/provocation")
    String markProvocation(@PathVariable UUID id, @RequestParam String reason, @RequestParam long version,
            RedirectAttributes redirect) {
        var view = caseOf(id);
        if (reason.isBlank()) {
            return refuse(id, text.text("console.case.provocation.missing"), redirect);
        }
        try {
            changes.run(() -> {
                cases.transition(view.id(), StatusChange.close(CloseReason.PROVOCATION), reason.strip(), actor(), version);
                if (view.contact() != null) {
                    conversations.markBlocked(view.contact());
                }
                access.record("case.provocation", id.toString(), Outcome.SUCCEEDED);
            });
        } catch (CaseUnchangeable e) {
            return refuse(id, text.refusal(e), redirect);
        } catch (IllegalTransition | OptimisticLockingFailureException e) {
            return refuse(id, e.getMessage(), redirect);
        }
        return "redirect:" + CASES + "/" + id;
    }

    /** Claims the case (no assignee given) or gives it to someone; {@code -} gives it back to nobody. */
    @PostMapping(CASES + "/{id}/assignee")
    String assign(@PathVariable UUID id, @RequestParam(required = false) String assignee,
            @RequestParam long version, RedirectAttributes redirect) {
        caseOf(id);
        var who = assignee == null || assignee.isBlank() ? actor() : "-".equals(assignee) ? null : assignee;
        if (who != null && operators.holding(Permission.READ_CASE).stream().noneMatch(o -> o.username().equals(who))) {
            return refuse(id, text.text("console.case.assignee.unknown"), redirect);
        }
        try {
            changes.run(() -> {
                cases.assign(new CaseId(id), who, version);
                access.record("case.assign", id.toString(), Outcome.SUCCEEDED);
            });
        } catch (CaseUnchangeable e) {
            return refuse(id, text.refusal(e), redirect);
        } catch (OptimisticLockingFailureException e) {
            return refuse(id, e.getMessage(), redirect);
        }
        return "redirect:" + CASES + "/" + id;
    }

    /** Recorded in a transaction of its own (none is open here), so the refusal stays on record. */
    private String refuse(UUID id, String problem, RedirectAttributes redirect) {
        access.record("case.change", id.toString(), Outcome.REFUSED);
        redirect.addFlashAttribute("problem", problem);
        return "redirect:" + CASES + "/" + id;
    }

    private String back(ConversationId conversation) {
        return cases.findByConversation(conversation).map(c -> CASES + "/" + c.id().value())
                .orElse(CONVERSATIONS + "/" + conversation.value());
    }

    private CaseView caseOf(UUID id) {
        return cases.find(new CaseId(id)).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private ConversationView existing(ConversationId id) {
        try {
            return conversations.conversation(id);
        } catch (NoSuchElementException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }

    private String actor() {
        return operators.current().orElseThrow().username();
    }

    /**
     * Where he said he is: the flow keeps coordinates and the grid reference side by side (or a place name), given
     * when he made the request.
     */
    record Location(String summary, String lat, String lon, String mgrs, String kind) {
    }

    static Location location(Map<String, String> details) {
        var summary = details.get("location");
        if (summary == null) {
            return null;
        }
        return new Location(summary, details.get("location.lat"), details.get("location.lon"),
                details.get("location.mgrs"), details.get("location.kind"));
    }

    /** The flow's answers other than the location, which has its own section. */
    static List<Map.Entry<String, String>> answers(Map<String, String> details) {
        var answers = new ArrayList<Map.Entry<String, String>>();
        details.forEach((key, value) -> {
            if (!key.equals("location") && !key.startsWith("location.")) {
                answers.add(Map.entry(key, value));
            }
        });
        return answers;
    }
}
