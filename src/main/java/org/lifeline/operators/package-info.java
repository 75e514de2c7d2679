/**
 * Operator accounts: roles and their permissions, passwords (Argon2id), the mandatory TOTP second factor with
 * recovery codes, lockout, first-admin setup and the {@code users} command. The console's web
 * pages use it; later modules ask {@link org.lifeline.operators.OperatorManagement} who is signed in and what they
 * may do. It records sign-ins and account changes in the access record ({@code privacy}) and tells it who is
 * signed in ({@link org.lifeline.privacy.CurrentActor}).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy"})
package org.lifeline.operators;
