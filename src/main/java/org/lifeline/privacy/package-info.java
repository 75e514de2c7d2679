/**
 * Field-level encryption: per-subject data keys wrapped by a master key kept outside the database, blind indexes for
 * lookups, crypto-shredding by destroying a data key, and master key rotation ({@code keys rotate}).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
package org.lifeline.privacy;
