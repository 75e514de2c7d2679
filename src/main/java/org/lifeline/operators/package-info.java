/**
 * Operator accounts: roles and their permissions, passwords (Argon2id), the mandatory TOTP second factor with
 * recovery codes, lockout, first-admin setup, the {@code users} command and the access record. The console's web
 * pages use it; later modules ask {@link org.lifeline.operators.OperatorManagement} who is signed in and what they
 * may do, and write to {@link org.lifeline.operators.AccessRecord}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
package org.lifeline.operators;
