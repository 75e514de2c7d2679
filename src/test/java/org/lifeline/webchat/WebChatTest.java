package org.lifeline.webchat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The running server with its web chat, in its default settings. One annotation, so that the chat's integration and
 * browser tests share one Spring context (the same as other tests of the plain running server: on PostgreSQL every
 * cached context holds a connection pool).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@PersistenceTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@interface WebChatTest {
}
