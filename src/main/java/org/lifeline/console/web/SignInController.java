package org.lifeline.console.web;

import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.lifeline.operators.Enrolment;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.OperatorLogin;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.PasswordAccepted;
import org.lifeline.operators.SignInBusy;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in: the password on {@code /console/login}, then a code on {@code /console/login/code}, or, for an
 * account without a second factor yet, its enrolment on {@code /console/login/enrol}. Between the two steps the
 * session holds only a {@link PasswordAccepted}, which grants nothing: it is signed in only after the second step.
 * The session id changes at each step, so an id planted before sign-in is worthless after it.
 */
@Controller
@RequestMapping(ConsoleSecurityConfiguration.SIGN_IN)
class SignInController {

    /**
     * Makes this browser known to the account it signed in to: its sign-ins then pass while outsiders flood the
     * sign-in page. Sent to the sign-in page only.
     */
    static final String DEVICE_COOKIE = "lifeline_device";

    /** The session attribute holding a sign-in between its two steps. */
    static final String PENDING = SignInController.class.getName() + ".pending";

    private static final String CODE = ConsoleSecurityConfiguration.SIGN_IN + "/code";
    private static final String ENROL = ConsoleSecurityConfiguration.SIGN_IN + "/enrol";
    private static final String START_AGAIN = "redirect:" + ConsoleSecurityConfiguration.SIGN_IN + "?expired";

    /** @param enrolment the second factor being set up, once its page was shown */
    record Pending(PasswordAccepted first, Enrolment enrolment) implements Serializable {
    }

    private final OperatorLogin login;
    private final OperatorManagement operators;
    private final OperatorAdministration administration;
    private final SecurityContextRepository contexts;
    private final SavedRequestAwareAuthenticationSuccessHandler afterSignIn =
            new SavedRequestAwareAuthenticationSuccessHandler();

    private final ConsoleLanguage text;

    SignInController(OperatorLogin login, OperatorManagement operators, OperatorAdministration administration,
            SecurityContextRepository contexts, RequestCache asked, ConsoleLanguage text) {
        this.login = login;
        this.operators = operators;
        this.administration = administration;
        this.contexts = contexts;
        this.text = text;
        afterSignIn.setDefaultTargetUrl("/console");
        afterSignIn.setRequestCache(asked);
    }

    @GetMapping
    String passwordForm(@RequestParam(name = "signed-out", required = false) String signedOut,
            @RequestParam(required = false) String expired, @RequestParam(required = false) String setup,
            Model model) {
        if (operators.current().isPresent()) {
            return "redirect:/console";
        }
        if (signedOut != null) {
            model.addAttribute("notice", text.text("console.login.signed-out"));
        } else if (expired != null) {
            model.addAttribute("notice", text.text("console.login.expired"));
        } else if (setup != null) {
            model.addAttribute("notice", text.text("console.login.admin-created"));
        }
        model.addAttribute("firstAdmin", administration.needsFirstAdmin());
        return "console/login";
    }

    @PostMapping
    String password(@RequestParam String username, @RequestParam String password,
            @CookieValue(name = DEVICE_COOKIE, required = false) String device, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        Optional<PasswordAccepted> first;
        try {
            first = login.checkPassword(username, password, device);
        } catch (SignInBusy e) {
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            model.addAttribute("busy", true);
            model.addAttribute("username", username);
            return "console/login";
        }
        if (first.isEmpty()) {
            model.addAttribute("failed", true);
            model.addAttribute("username", username);
            return "console/login";
        }
        request.getSession().setAttribute(PENDING, new Pending(first.get(), null));
        request.changeSessionId();
        return "redirect:" + (first.get().enrolled() ? CODE : ENROL);
    }

    @GetMapping("/code")
    String codeForm(HttpSession session) {
        return pending(session).map(pending -> pending.first().enrolled() ? "console/login-code" : "redirect:" + ENROL)
                .orElse(START_AGAIN);
    }

    @PostMapping("/code")
    String code(@RequestParam String code, HttpServletRequest request, HttpServletResponse response, Model model)
            throws IOException, ServletException {
        var pending = pending(request.getSession());
        if (pending.isEmpty()) {
            return START_AGAIN;
        }
        var signedIn = login.checkCode(pending.get().first(), code);
        if (signedIn.isEmpty()) {
            model.addAttribute("failed", true);
            return "console/login-code";
        }
        complete(signedIn.get(), request, response);
        return null;
    }

    @GetMapping("/enrol")
    String enrolment(HttpSession session, Model model) {
        var pending = pending(session);
        if (pending.isEmpty()) {
            return START_AGAIN;
        }
        if (pending.get().first().enrolled()) {
            return "redirect:" + CODE;
        }
        model.addAttribute("enrolment", enrolmentOf(session, pending.get()));
        return "console/enrol";
    }

    /** The QR code of the enrolment in progress: served by the application, never cached. */
    @GetMapping(value = "/enrol/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> enrolmentQrCode(HttpSession session) {
        return pending(session).map(Pending::enrolment)
                .map(enrolment -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(QrCode.png(enrolment.uri())))
                .orElse(ResponseEntity.notFound().build());
    }

    @PostMapping("/enrol")
    String confirmEnrolment(@RequestParam String code, HttpServletRequest request, HttpServletResponse response,
            Model model) throws IOException, ServletException {
        var pending = pending(request.getSession());
        if (pending.isEmpty() || pending.get().enrolment() == null) {
            return START_AGAIN;
        }
        var signedIn = login.completeEnrolment(pending.get().first(), pending.get().enrolment(), code);
        if (signedIn.isEmpty()) {
            model.addAttribute("failed", true);
            model.addAttribute("enrolment", pending.get().enrolment());
            return "console/enrol";
        }
        complete(signedIn.get(), request, response);
        return null;
    }

    /** The sign-in between its steps, while it may still go on; dropped once it may not. */
    private Optional<Pending> pending(HttpSession session) {
        if (session.getAttribute(PENDING) instanceof Pending pending) {
            if (login.isPending(pending.first())) {
                return Optional.of(pending);
            }
            session.removeAttribute(PENDING);
        }
        return Optional.empty();
    }

    /** The same secret and codes on every showing of the page, until confirmed. */
    private Enrolment enrolmentOf(HttpSession session, Pending pending) {
        if (pending.enrolment() != null) {
            return pending.enrolment();
        }
        var enrolment = login.startEnrolment(pending.first());
        session.setAttribute(PENDING, new Pending(pending.first(), enrolment));
        return enrolment;
    }

    /**
     * This session goes on as {@code signedIn}, under a new id, and this browser is known to the account (the device
     * cookie): after a complete sign-in, and again after a password change, which voids the account's earlier ones.
     */
    static void signedInHere(OperatorLogin login, SecurityContextRepository contexts, Authentication signedIn,
            HttpServletRequest request, HttpServletResponse response) {
        request.changeSessionId();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(signedIn);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        login.deviceToken(signedIn).ifPresent(token -> response.addHeader(HttpHeaders.SET_COOKIE,
                ResponseCookie.from(DEVICE_COOKIE, token).path(ConsoleSecurityConfiguration.SIGN_IN).httpOnly(true)
                        .sameSite("Strict").secure(request.isSecure()).maxAge(login.deviceTtl()).build()
                        .toString()));
    }

    private void complete(Authentication signedIn, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        request.getSession().removeAttribute(PENDING);
        signedInHere(login, contexts, signedIn, request, response);
        afterSignIn.onAuthenticationSuccess(request, response, signedIn);
    }
}
