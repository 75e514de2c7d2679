package org.lifeline.site.web;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * The last word on an exception no one handled: it is logged by its type and where it was thrown, never by its
 * message, which may quote what the request carried (a value that failed to parse, a name); the visitor gets the
 * plain error page (500). Without this, the servlet container would log the whole message.
 */
@Component
class UnexpectedErrors implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);
    private static final int FRAMES = 12;

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception exception) {
        if (exception instanceof AccessDeniedException || exception instanceof AuthenticationException
                || exception instanceof AsyncRequestNotUsableException) {
            // the console's security answers these (403, sign-in); a client gone away is no error of ours
            return null;
        }
        if (unparsable(exception)) {
            // the client's request, not our fault: a parameter badly percent-encoded, a form or multipart body broken
            // or too large for the container to parse. Anyone can send these, so a log line each would let a flood
            // fill the disk and bury real alerts
            log.debug("Request not parsed, answered 400: {}", exception.getClass().getName());
            return answer(response, HttpServletResponse.SC_BAD_REQUEST);
        }
        log.error("Unhandled {}", describe(exception));
        return answer(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
    }

    private static ModelAndView answer(HttpServletResponse response, int status) {
        if (!response.isCommitted()) {
            try {
                response.sendError(status);
            } catch (java.io.IOException e) {
                log.warn("Could not send the error page: {}", e.getClass().getName());
            }
        }
        return new ModelAndView();
    }

    /** Whether the container could not parse the request's parameters or parts, by the exception or its causes. */
    static boolean unparsable(Throwable exception) {
        return Stream.iterate(exception, e -> e != null, Throwable::getCause).limit(8)
                .anyMatch(e -> e instanceof org.apache.tomcat.util.http.InvalidParameterException
                        || e instanceof org.springframework.web.multipart.MultipartException
                        || e instanceof org.apache.tomcat.util.http.fileupload.FileUploadException);
    }

    /** Types and frames of the exception and its causes, without any message. */
    static String describe(Throwable exception) {
        return Stream.iterate(exception, e -> e != null, Throwable::getCause).limit(8)
                .map(e -> e.getClass().getName() + Stream.of(e.getStackTrace()).limit(FRAMES)
                        .map(frame -> "\n\tat " + frame).collect(Collectors.joining()))
                .collect(Collectors.joining("\ncaused by "));
    }

    @Override
    public int getOrder() {
        // after Spring's own resolvers, which answer the exceptions they know (400, 404, 405, …) without logging
        return Ordered.LOWEST_PRECEDENCE;
    }
}
