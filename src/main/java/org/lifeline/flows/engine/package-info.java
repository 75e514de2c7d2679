/**
 * The flow engine: walks a requester through a flow defined as data, one input at a time, and returns the new
 * session state, channel-neutral outputs and effects for the host. Plain Java (ArchUnit-checked), so the
 * simulator and the validator run without Spring or a database; channel adapters use its output types.
 */
@org.springframework.modulith.NamedInterface("engine")
package org.lifeline.flows.engine;
