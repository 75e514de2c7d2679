/**
 * The envelope: a master key wraps one data key per subject (a contact, a case), data keys encrypt fields, and a
 * separate MAC key computes blind indexes. Plain Java and Tink only, so the cryptography can be read and tested
 * without the application around it.
 */
package org.lifeline.privacy.envelope;
