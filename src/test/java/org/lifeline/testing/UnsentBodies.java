package org.lifeline.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A webhook request whose body is announced and never sent, as from a client that would hold a request thread and
 * the body's memory for as long as it takes to send it: what a webhook answers before it reads a byte of the body.
 */
public final class UnsentBodies {

    private UnsentBodies() {
    }

    /**
     * Sends the request line and headers (a {@code Content-Length} of {@code announced} bytes added) and only the
     * start of the body; returns the answer's status line and headers, lower-cased. Waits at most five seconds for
     * the answer: a webhook that waits for the body fails the test with a timeout.
     */
    public static List<String> answerHead(int port, String method, String path, List<String> headers, long announced,
            String bodyStart) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            var request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            headers.forEach(header -> request.append(header).append("\r\n"));
            request.append("Content-Length: ").append(announced).append("\r\n\r\n").append(bodyStart);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            var answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var head = new ArrayList<String>();
            for (var line = answer.readLine(); line != null && !line.isEmpty(); line = answer.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }
            return head;
        }
    }
}
