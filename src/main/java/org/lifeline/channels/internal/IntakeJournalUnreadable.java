package org.lifeline.channels.internal;

/**
 * The intake journal exists but cannot be opened (a file torn by a power cut, say): the node does not start on it,
 * since what it holds was acknowledged to the channels, which will not send it again.
 */
class IntakeJournalUnreadable extends IllegalStateException {

    private final String journal;

    IntakeJournalUnreadable(String journal, Exception cause) {
        super("The intake journal " + journal + " cannot be opened (" + cause.getClass().getSimpleName() + "). It holds"
                + " updates acknowledged to the channels and not yet moved into the database; see README, \"If the"
                + " intake journal cannot be opened\".", cause);
        this.journal = journal;
    }

    /** The journal's database, as H2 names it ({@code jdbc:h2:file:<data-dir>/db/lifeline-intake}). */
    String journal() {
        return journal;
    }
}
