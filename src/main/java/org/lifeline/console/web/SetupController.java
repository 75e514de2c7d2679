package org.lifeline.console.web;

import org.lifeline.operators.InvalidAccountChange;
import org.lifeline.operators.OperatorAdministration;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * Creates the first admin of an empty system, for whoever has the one-time setup token the server printed on its
 * console and wrote to its data directory. Where the request comes from counts for nothing: an onion service, a
 * tunnel or a proxy on the server make every visitor look local. The page exists only while there is no admin.
 */
@Controller
@RequestMapping(SetupController.PATH)
class SetupController {

    static final String PATH = "/console/setup";

    private final OperatorAdministration administration;

    private final ConsoleLanguage text;

    SetupController(OperatorAdministration administration, ConsoleLanguage text) {
        this.administration = administration;
        this.text = text;
    }

    @GetMapping
    String form() {
        requireAvailable();
        administration.offerFirstAdminSetup();
        return "console/setup";
    }

    @PostMapping
    String create(@RequestParam(required = false) String token, @RequestParam String username,
            @RequestParam String password, @RequestParam String repeated, Model model) {
        requireAvailable();
        model.addAttribute("username", username);
        if (!password.equals(repeated)) {
            model.addAttribute("problem", text.text("console.setup.differ"));
            return "console/setup";
        }
        try {
            if (administration.createFirstAdmin(token, username, password).isEmpty()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
        } catch (InvalidAccountChange e) {
            model.addAttribute("problem", text.refusal(e));
            return "console/setup";
        }
        return "redirect:" + ConsoleSecurityConfiguration.SIGN_IN + "?setup";
    }

    private void requireAvailable() {
        if (!administration.needsFirstAdmin()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }
}
