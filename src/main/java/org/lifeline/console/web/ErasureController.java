package org.lifeline.console.web;

import java.util.NoSuchElementException;
import java.util.UUID;

import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A supervisor erases a requester's data when he asks through a person rather than with {@code /delete}: the same
 * erasure (his keys destroyed, his cases left as anonymous outcomes), recorded as {@code contact.erase}.
 */
@Controller
class ErasureController {

    private final ConversationManagement conversations;
    private final AccessRecord access;
    private final ConsoleLanguage text;

    ErasureController(ConversationManagement conversations, AccessRecord access, ConsoleLanguage text) {
        this.conversations = conversations;
        this.access = access;
        this.text = text;
    }

    @PostMapping(CaseController.CONVERSATIONS + "/{id}/erase")
    @Transactional
    String erase(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean confirmed,
            RedirectAttributes redirect) {
        var conversation = new ConversationId(id);
        var contact = contactOf(conversation);
        if (!confirmed) {
            redirect.addFlashAttribute("problem", text.text("console.case.erase.unconfirmed"));
            return "redirect:" + CaseController.CONVERSATIONS + "/" + id;
        }
        conversations.forget(contact);
        access.record("contact.erase", contact.value().toString(), Outcome.SUCCEEDED);
        redirect.addFlashAttribute("notice", text.text("console.case.erase.done"));
        return "redirect:" + CaseController.CONVERSATIONS + "/" + id;
    }

    private ContactId contactOf(ConversationId conversation) {
        try {
            return conversations.conversation(conversation).contact();
        } catch (NoSuchElementException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }
}
