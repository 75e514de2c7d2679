package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.SettledHeap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A flood of sign-ins with random names, 64 at once, against the real server on loopback, with two password checks at
 * a time and a budget of 20 failures a minute: an operator who is signed in keeps working, one who signed in on this browser
 * before still signs in, the flood is answered quickly, at most two password hashes (19 MiB each) are ever computed
 * at once, and nobody is locked out.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lifeline.operators.password-checks=2", "lifeline.operators.password-failures-per-minute=20",
                "spring.datasource.hikari.maximum-pool-size=5"})
class SignInFloodIntegrationTests {

    static final int FLOODERS = 64;
    static final int TRIES_EACH = 5;
    static final String PASSWORD = "a long enough password";

    @LocalServerPort
    int port;

    @Autowired
    OperatorAdministration administration;

    @Test
    void aSignInFloodIsAnsweredQuicklyWithBoundedHashingAndLocksNobodyOut() throws Exception {
        var account = administration.createEnrolled("flooded-" + UUID.randomUUID().toString().substring(0, 8),
                Role.OPERATOR, PASSWORD);
        var username = account.operator().username();
        var operator = new ConsoleHttp(port);
        assertThat(operator.password(username, PASSWORD).headers().firstValue("Location")).hasValue("/console/login/code");
        var code = new DefaultCodeGenerator().generate(account.enrolment().secret(), System.currentTimeMillis() / 30_000);
        var signedIn = operator.post("/console/login/code", "/console/login/code", Map.of("code", code));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(operator.get("/console").statusCode()).isEqualTo(200);

        var hashing = new AtomicInteger();
        var flooding = new AtomicBoolean(true);
        var sampler = Thread.ofPlatform().start(() -> {
            while (flooding.get()) {
                var now = (int) Thread.getAllStackTraces().values().stream()
                        .filter(stack -> Arrays.stream(stack).anyMatch(f -> f.getClassName().contains("Argon2")))
                        .count();
                hashing.accumulateAndGet(now, Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        });
        var answers = new ConcurrentLinkedQueue<long[]>();
        var pool = Executors.newFixedThreadPool(FLOODERS);
        for (var i = 0; i < FLOODERS; i++) {
            pool.submit(() -> flooder(answers, new AtomicLong()));
        }
        var pageMillis = new ArrayList<Long>();
        for (var i = 0; i < 20; i++) {
            var started = System.nanoTime();
            assertThat(operator.get("/console").statusCode()).isEqualTo(200);
            pageMillis.add((System.nanoTime() - started) / 1_000_000);
        }
        var knownBrowser = knownTo(operator).password(username, PASSWORD);
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        flooding.set(false);
        sampler.join();

        // The heap: a second flood of the same shape, from the heap the first left (its connections, threads and
        // caches made), answered busy as the first mostly was: what it adds is what the refused tries leave behind.
        var heapBefore = SettledHeap.used();
        var payload = new AtomicLong();
        var second = Executors.newFixedThreadPool(FLOODERS);
        for (var i = 0; i < FLOODERS; i++) {
            second.submit(() -> flooder(new ConcurrentLinkedQueue<>(), payload));
        }
        second.shutdown();
        assertThat(second.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        var heapAfter = SettledHeap.used();

        Collections.sort(pageMillis);
        var statuses = answers.stream().map(a -> a[0]).distinct().toList();
        var busy = answers.stream().filter(a -> a[0] == 503).mapToLong(a -> a[1]).sorted().toArray();
        System.out.printf("sign-in flood: %d tries, %d answered busy (median %d ms, max %d ms); signed-in operator's "
                        + "queue page median %d ms, max %d ms; at most %d hashes at once; "
                        + "a second flood: heap used after full GC %d KiB before, %d KiB after, exchanged %d KiB%n",
                answers.size(), busy.length, busy.length == 0 ? 0 : busy[busy.length / 2],
                busy.length == 0 ? 0 : busy[busy.length - 1], pageMillis.get(pageMillis.size() / 2),
                pageMillis.getLast(), hashing.get(), heapBefore >> 10, heapAfter >> 10, payload.get() >> 10);

        assertThat(statuses).as("refused (200 page) or busy (503)").isSubsetOf(200L, 503L);
        assertThat(busy).as("the excess is answered busy").isNotEmpty();
        assertThat(busy[busy.length - 1]).as("busy answers come at once, not after a queue (ms)").isLessThan(10_000);
        assertThat(hashing.get()).as("password hashes computed at once: two, and one for a known browser")
                .isBetween(1, 3);
        assertThat(pageMillis.get(pageMillis.size() / 2)).as("the operator's queue page stays fast (median ms)")
                .isLessThan(2_000);
        assertThat(knownBrowser.headers().firstValue("Location")).as("a browser known to the account gets through")
                .hasValue("/console/login/code");
        // Memory kept for each refused try (its session, its name, a hash's buffers) would add up to a fair part of
        // what the second flood sent and received, or far beyond it; the heap may grow by less than that whole amount.
        assertThat(heapAfter - heapBefore).as("heap growth over the second flood, bytes").isLessThan(payload.get());

        // beyond the node's budget of failures a minute, browsers not known to the account wait, whatever the name
        var spent = false;
        for (var i = 0; i < 100 && !spent; i++) {
            spent = new ConsoleHttp(port).password(username, "not the password " + i).statusCode() == 503;
        }
        assertThat(spent).as("the failure budget is spent").isTrue();
        var nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        var stranger = new ConsoleHttp(port).password(username, "not the password");
        var unknown = new ConsoleHttp(port).password(nobody, "not the password");
        assertThat(stranger.statusCode()).isEqualTo(503).isEqualTo(unknown.statusCode());
        assertThat(withoutToken(stranger.body(), username)).as("a known and an unknown name look alike")
                .isEqualTo(withoutToken(unknown.body(), nobody));
        assertThat(knownTo(operator).password(username, PASSWORD).headers().firstValue("Location"))
                .as("and nobody is locked out").hasValue("/console/login/code");
    }

    /** One flooding browser: its tries with random names, each answer's status and time; what it exchanged. */
    private Void flooder(ConcurrentLinkedQueue<long[]> answers, AtomicLong payload) {
        try (var flooder = new ConsoleHttp(port)) {
            for (var t = 0; t < TRIES_EACH; t++) {
                var started = System.nanoTime();
                var status = flooder.password("guess-" + UUID.randomUUID(), "guessed password " + t).statusCode();
                answers.add(new long[] {status, (System.nanoTime() - started) / 1_000_000});
            }
            payload.addAndGet(flooder.exchanged);
        }
        return null;
    }

    /** A fresh browser holding only the device cookie the operator's sign-in left. */
    private ConsoleHttp knownTo(ConsoleHttp signedIn) {
        var known = new ConsoleHttp(port);
        var site = java.net.URI.create("http://127.0.0.1:" + port + "/console/login");
        signedIn.cookies.getCookieStore().get(site).stream()
                .filter(cookie -> cookie.getName().equals(SignInController.DEVICE_COOKIE))
                .forEach(cookie -> known.cookies.getCookieStore().add(site, cookie));
        assertThat(known.cookies.getCookieStore().getCookies()).as("the device cookie").isNotEmpty();
        return known;
    }

    private static String withoutToken(String page, String username) {
        return page.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "").replace("value=\"" + username + "\"", "");
    }
}
