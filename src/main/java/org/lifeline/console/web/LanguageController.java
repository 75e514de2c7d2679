package org.lifeline.console.web;

import org.lifeline.operators.InvalidAccountChange;
import org.lifeline.operators.OperatorManagement;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** Every operator chooses the console's language for himself; it is kept on his account. */
@Controller
class LanguageController {

    static final String PATH = "/console/language";

    private final OperatorManagement operators;

    LanguageController(OperatorManagement operators) {
        this.operators = operators;
    }

    @PostMapping(PATH)
    String change(@RequestParam String language) {
        var operator = operators.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN));
        try {
            operators.setLanguage(operator.id(), language);
        } catch (InvalidAccountChange e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        return "redirect:/console";
    }
}
