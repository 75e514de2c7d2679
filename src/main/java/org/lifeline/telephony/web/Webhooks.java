package org.lifeline.telephony.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.StringJoiner;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.telephony.TwilioRequests;
import org.springframework.http.HttpHeaders;

/** What the provider's webhook requests share. */
final class Webhooks {

    private Webhooks() {
    }

    /** Twilio's signature header: base64 of HMAC-SHA1 over the URL and the sorted POST parameters. */
    static final String SIGNATURE_HEADER = "X-Twilio-Signature";

    /**
     * The form the provider posted, at most one byte past the limit (an oversized body is refused without being held
     * in memory). Nothing of it when the request has no signature of Twilio's form, which no body can make right:
     * it is then refused (or answered 404 while the channel is off) unread, and the connection closed rather than
     * the body drained, as the other webhooks refuse a request without their secret or signature. When the servlet container has already read the body into its parameters (it does so for a form
     * POST with a query string once anything asks for a parameter), the POST parameters are rebuilt from them: the
     * parameters less those of the query, which come first.
     */
    static byte[] form(HttpServletRequest request, HttpServletResponse response, String signature, InputStream body)
            throws IOException {
        if (!TwilioRequests.mayBeSigned(signature)) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            return new byte[0];
        }
        var bytes = body.readNBytes(TwilioRequests.MAX_REQUEST_BYTES + 1);
        if (bytes.length > 0 || request.getContentLengthLong() <= 0) {
            return bytes;
        }
        var inQuery = new HashMap<String, Integer>();
        var query = request.getQueryString();
        if (query != null) {
            for (var pair : query.split("&")) {
                var equals = pair.indexOf('=');
                var name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                inQuery.merge(name, 1, Integer::sum);
            }
        }
        var form = new StringJoiner("&");
        request.getParameterMap().forEach((name, values) -> {
            for (int i = inQuery.getOrDefault(name, 0); i < values.length; i++) {
                form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(values[i], StandardCharsets.UTF_8));
            }
        });
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }
}
