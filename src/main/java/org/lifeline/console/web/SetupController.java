package org.lifeline.console.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
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
 * Creates the first admin of an empty system. It exists only while there is no admin, and only for a browser on
 * the server itself: anyone else gets "not found". A request that came through a proxy counts as from elsewhere,
 * since a proxy on the same machine makes every visitor look local. The address is checked, never logged.
 */
@Controller
@RequestMapping(SetupController.PATH)
class SetupController {

    static final String PATH = "/console/setup";

    private static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    private final OperatorAdministration administration;

    SetupController(OperatorAdministration administration) {
        this.administration = administration;
    }

    @GetMapping
    String form(HttpServletRequest request) {
        requireAvailable(request);
        return "console/setup";
    }

    @PostMapping
    String create(@RequestParam String username, @RequestParam String password, @RequestParam String repeated,
            HttpServletRequest request, Model model) {
        requireAvailable(request);
        model.addAttribute("username", username);
        if (!password.equals(repeated)) {
            model.addAttribute("problem", "The two passwords differ.");
            return "console/setup";
        }
        try {
            if (administration.createFirstAdmin(username, password).isEmpty()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
        } catch (InvalidAccountChange e) {
            model.addAttribute("problem", e.getMessage());
            return "console/setup";
        }
        return "redirect:" + ConsoleSecurityConfiguration.SIGN_IN + "?setup";
    }

    private void requireAvailable(HttpServletRequest request) {
        if (!fromThisMachine(request) || !administration.needsFirstAdmin()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }

    static boolean fromThisMachine(HttpServletRequest request) {
        if (PROXY_HEADERS.stream().anyMatch(header -> request.getHeader(header) != null)) {
            return false;
        }
        try {
            // the servlet container gives an address literal, so this looks nothing up
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
