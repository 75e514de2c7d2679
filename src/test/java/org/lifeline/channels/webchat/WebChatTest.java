package org.lifeline.channels.webchat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The running server with its web chat. One annotation, so that the chat's integration and browser tests share one
 * Spring context. A session may post {@value #POSTS_PER_MINUTE} messages a minute: more than the whole surrender
 * intake takes, few enough to reach the limit quickly.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@PersistenceTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lifeline.webchat.posts-per-session-per-minute=" + WebChatTest.POSTS_PER_MINUTE,
        "lifeline.webchat.proof-of-work-bits=12"})
@interface WebChatTest {

    int POSTS_PER_MINUTE = 12;
}
