package org.lifeline.console.web;

import org.lifeline.channels.ChannelCopies;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admins are shown, on every console page, the voicemails the telephony provider still holds because deleting them
 * there failed for good; once an admin has deleted them in the provider's own console he says so here, and the
 * notice goes (recorded in the access record).
 */
@Controller
class ProviderCopiesController {

    static final String PATH = "/console/provider-copies";

    private final ChannelCopies copies;
    private final AccessRecord access;
    private final ConsoleLanguage text;

    ProviderCopiesController(ChannelCopies copies, AccessRecord access, ConsoleLanguage text) {
        this.copies = copies;
        this.access = access;
        this.text = text;
    }

    @PostMapping(PATH)
    String deleted(RedirectAttributes flash) {
        var acknowledged = copies.acknowledge();
        access.record("channel.copies.deleted", String.valueOf(acknowledged), Outcome.SUCCEEDED);
        flash.addFlashAttribute("notice", text.text("console.copies.acknowledged"));
        // only admins hold MANAGE_KEYS, and their console opens on the users
        return "redirect:" + UsersController.PATH;
    }
}
