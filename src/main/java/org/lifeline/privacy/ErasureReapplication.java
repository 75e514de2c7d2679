package org.lifeline.privacy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.lifeline.platform.RestoredDatabaseReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At every start (the server's, before it takes traffic, and every command's, {@code database restore}'s among
 * them), after the migrations: erases again what the {@link ErasureJournal} says was erased and the database still
 * holds (a database restored from a backup taken before the erasure), and appends to the journal the keys the database
 * has destroyed and the journal lacks (a crash between a commit and its append, another node's erasures, erasures from
 * before the journal existed).
 * <p>
 * The database keeps, for each journal by the random id in its first line, how far it has settled it
 * ({@link SettledJournals}): a start reads the journal from there and the keys destroyed since (by the order in which
 * erasing transactions committed, {@code data_key.destroyed_seq}), so that a start with nothing new costs little
 * however long the journal. A database restored from a backup has the record it had then, and reads everything the
 * journal gained since; one that has no record for this journal (another node's, or a journal made anew) reads all
 * of it. One pass over the destroyed keys' ids settles nearly every entry read; only the journal's keys the database
 * does not have as destroyed are asked for, a thousand at a time.
 */
@Component
class ErasureReapplication implements RestoredDatabaseReport {

    private static final Logger log = LoggerFactory.getLogger(ErasureReapplication.class);

    private final ErasureJournal journal;
    private final DataKeys dataKeys;
    private final DataProtection protection;
    private final List<ErasedSubjects> subjects;
    private final AccessRecord access;
    private final TransactionTemplate transaction;
    private final SettledJournals settledJournals;
    private final Clock clock;
    private volatile List<String> report = List.of();

    ErasureReapplication(ErasureJournal journal, DataKeys dataKeys, DataProtection protection,
            List<ErasedSubjects> subjects, AccessRecord access, PlatformTransactionManager transactions,
            SettledJournals settledJournals, Clock clock) {
        this.settledJournals = settledJournals;
        this.clock = clock;
        this.journal = journal;
        this.dataKeys = dataKeys;
        this.protection = protection;
        this.subjects = subjects;
        this.access = access;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Run by {@link TinkDataProtection} as every start ends, once it has found that the keys unwrap the database's
     * (keys that cannot would fail the erasures here with a less clear message).
     */
    void reapply() {
        var id = journal.id();
        var settled = settledJournals.find(id);
        var part = journal.readFrom(settled.map(SettledJournals.Settled::bytes).orElse(0L));
        if (!part.journal().equals(id)) {
            // given an id meanwhile by another process: this database has no record of it
            settled = Optional.empty();
            part = journal.readFrom(0);
        }
        var journalled = part.entries();
        // read before the keys: every key numbered up to it is among those read below
        var seq = dataKeys.lastDestruction();
        var destroyed = part.from() > 0 && settled.isPresent() ? dataKeys.destroyedAfter(settled.get().seq())
                : dataKeys.destroyed();
        var notDestroyed = new HashSet<>(journalled.keySet());
        notDestroyed.removeAll(destroyed.keySet());
        var live = notDestroyed.isEmpty() ? java.util.Set.<java.util.UUID>of() : dataKeys.liveAmong(notDestroyed);
        if (live.isEmpty()) {
            report = List.of("No erasure recorded in " + journal.file() + " needed re-applying.");
        } else {
            var keys = live.stream().map(DataKeyId::new).collect(Collectors.toSet());
            var counts = new ArrayList<String>();
            for (var kind : subjects) {
                counts.add(kind.eraseAgain(keys) + " " + kind.kind());
            }
            transaction.executeWithoutResult(status -> {
                keys.forEach(protection::destroy);
                access.record(null, "privacy.erasure-reapplied",
                        abbreviated(live.size() + " keys, " + String.join(", ", counts)), AccessRecord.Outcome.SUCCEEDED);
            });
            var line = "Re-applied " + live.size() + " erasures recorded after this database's backup ("
                    + String.join(", ", counts) + ")";
            log.warn(line);
            report = List.of(line + ".");
        }
        var missing = new ArrayList<ErasureJournal.Entry>();
        destroyed.forEach((key, at) -> {
            if (!journalled.containsKey(key)) {
                missing.add(new ErasureJournal.Entry(at, key));
            }
        });
        missing.sort(Comparator.comparing(ErasureJournal.Entry::at));
        journal.append(missing);
        settledJournals.save(part.journal(), new SettledJournals.Settled(part.to(), seq), clock.instant());
    }

    @Override
    public List<String> lines() {
        return report;
    }

    private static String abbreviated(String counts) {
        return counts.length() <= 64 ? counts : counts.substring(0, 64);
    }
}
