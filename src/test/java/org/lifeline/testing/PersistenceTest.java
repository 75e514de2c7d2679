package org.lifeline.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that talks to the database. Such tests run twice in {@code ./mvnw verify}: on embedded H2,
 * then again on PostgreSQL (the surefire execution {@code postgres}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("persistence")
@ExtendWith(DatabaseAvailability.class)
public @interface PersistenceTest {
}
