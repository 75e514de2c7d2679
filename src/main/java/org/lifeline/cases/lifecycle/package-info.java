/**
 * The case state machines in plain Java: which status may follow which, and with what reason or outcome. Other
 * modules use these types through the {@code lifecycle} named interface.
 */
@org.springframework.modulith.NamedInterface("lifecycle")
package org.lifeline.cases.lifecycle;
