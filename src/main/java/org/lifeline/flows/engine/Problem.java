package org.lifeline.flows.engine;

/** One thing wrong in a flow file, printed as {@code file:line: message}. */
public record Problem(String file, int line, String message) implements Comparable<Problem> {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }

    @Override
    public int compareTo(Problem other) {
        int byFile = file.compareTo(other.file);
        return byFile != 0 ? byFile : Integer.compare(line, other.line);
    }
}
