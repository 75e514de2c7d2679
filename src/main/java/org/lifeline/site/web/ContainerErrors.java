package org.lifeline.site.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.lifeline.site.ContentSecurityPolicy;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Errors the container answers itself, before any filter or page of ours runs (a path with {@code %00} or another
 * byte it refuses, a request line it cannot parse): Tomcat's report page, its name and version, and none of our
 * security headers. Boot's own customizer puts a report valve on the host (no report, no server info); this one
 * replaces it and answers with the status line's number alone as plain text, with the headers every response of
 * ours carries ({@link SecurityHeadersFilter}), and nothing from the request.
 */
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            var host = context.getParent();
            for (var valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new Valve());
            if (host instanceof StandardHost standard) {
                // or the host adds Tomcat's own when it starts
                standard.setErrorReportValveClass(Valve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        // after Boot's, whose valve this replaces
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The container's error answer: the status's number, the security headers, nothing else. */
    static final class Valve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            var status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            var ioAllowed = new AtomicBoolean(true);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            try {
                SecurityHeadersFilter.apply(response, ContentSecurityPolicy.PAGES);
                if (request.isSecure()) {
                    response.setHeader("Strict-Transport-Security", SecurityHeadersFilter.HSTS);
                }
                response.setContentType("text/plain");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                var writer = response.getReporter();
                if (writer != null) {
                    writer.write(Integer.toString(status));
                    writer.write('\n');
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client has gone or the response cannot be written: nothing more to say to it
            }
        }
    }
}
