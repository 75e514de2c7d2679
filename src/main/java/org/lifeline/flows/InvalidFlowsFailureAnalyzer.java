package org.lifeline.flows;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Lists the flow problems, file and line, instead of a stack trace. */
class InvalidFlowsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFlowsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidFlowsException cause) {
        return new FailureAnalysis(
                "The conversation flows do not validate:\n" + FlowsCommand.describe(cause.problems),
                "Fix the files named above (check with: java -jar lifeline.jar flows validate DIR), or unset "
                        + "lifeline.flows.directory (LIFELINE_FLOWS_DIRECTORY) to run the shipped flows.",
                cause);
    }
}
