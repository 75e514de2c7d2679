package org.lifeline.flows;

import java.util.List;

import org.lifeline.flows.engine.Problem;

/** The flows on disk or in the jar do not validate; the server must not start on them. */
class InvalidFlowsException extends IllegalStateException {

    final List<Problem> problems;

    InvalidFlowsException(List<Problem> problems) {
        super("Invalid flows:\n" + FlowsCommand.describe(problems));
        this.problems = problems;
    }
}
