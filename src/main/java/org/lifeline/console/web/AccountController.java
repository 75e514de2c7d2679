package org.lifeline.console.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.operators.InvalidAccountChange;
import org.lifeline.operators.OperatorLogin;
import org.lifeline.operators.SignInBusy;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Every signed-in operator changes his own password, giving the current one. An account an admin created signs in
 * with the password the admin chose, and is shown nothing but this page until its operator has chosen his own
 * ({@link SessionValidityFilter}). Passwords are never put back into the page.
 */
@Controller
class AccountController {

    static final String PASSWORD = "/console/account/password";

    private final OperatorLogin login;
    private final SecurityContextRepository contexts;
    private final ConsoleLanguage text;

    AccountController(OperatorLogin login, SecurityContextRepository contexts, ConsoleLanguage text) {
        this.login = login;
        this.contexts = contexts;
        this.text = text;
    }

    @GetMapping(PASSWORD)
    String form(Model model) {
        return page(model);
    }

    @PostMapping(PASSWORD)
    String change(@RequestParam(required = false) String current, @RequestParam(required = false) String password,
            @RequestParam(required = false) String repeat, HttpServletRequest request, HttpServletResponse response,
            Model model, RedirectAttributes flash) {
        if (password == null || !password.equals(repeat)) {
            return refused(response, model, text.text("console.setup.differ"));
        }
        var signedIn = SecurityContextHolder.getContext().getAuthentication();
        try {
            var changed = login.changeOwnPassword(signedIn, current, password);
            // the account's other sessions end with the old stamp; this one goes on, under a new id
            SignInController.signedInHere(login, contexts, changed, request, response);
            flash.addFlashAttribute("notice", text.text("console.password.changed"));
            return "redirect:" + PASSWORD;
        } catch (InvalidAccountChange e) {
            return refused(response, model, text.refusal(e));
        } catch (SignInBusy e) {
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            model.addAttribute("problem", text.text("console.login.busy"));
            return page(model);
        }
    }

    private String refused(HttpServletResponse response, Model model, String problem) {
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("problem", problem);
        return page(model);
    }

    private String page(Model model) {
        model.addAttribute("mustChange", login.standing(SecurityContextHolder.getContext().getAuthentication())
                == OperatorLogin.Standing.MUST_CHANGE_PASSWORD);
        return "console/password";
    }
}
