/**
 * Field-level encryption: per-subject data keys wrapped by a master key kept outside the database, blind indexes for
 * lookups, crypto-shredding by destroying a data key, the erasure journal that erases again, at every start, what a restored
 * backup brought back ({@link org.lifeline.privacy.ErasedSubjects}), master key rotation ({@code keys rotate}), retention, and the
 * access record: every read and change of personal data, as a hash chain ({@link org.lifeline.privacy.AccessRecord},
 * {@code audit verify}, {@code audit head}). Who acts comes from a {@link org.lifeline.privacy.CurrentActor} that the
 * module signing people in provides.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
package org.lifeline.privacy;
