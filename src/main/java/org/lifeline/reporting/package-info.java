/**
 * Reporting: what the service achieves (volume, speed, outcomes) without exposing anyone. Listeners record every
 * countable step (request started, intake completed, verified, handover planned, surrendered, case opened and
 * closed, first operator answer, outbound delivery) in an anonymous event history ({@code report_event}) in the same
 * transaction as the step, so that retention, which erases personal data, never changes a figure.
 * {@link org.lifeline.reporting.Reports} computes the figures and their CSV export; the history keeps a request's
 * campaign by its id, and whoever asks for a report gives the campaigns' names as they are then.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "conversations", "cases", "cases :: lifecycle"})
package org.lifeline.reporting;
