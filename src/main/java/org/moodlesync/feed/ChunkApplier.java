package org.moodlesync.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleUnavailableException;
import org.moodlesync.moodle.SqlErrors;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;

/**
 * Applies a chunk's work in one transaction. When the database refuses the chunk (a constraint,
 * a value the validation missed), the transaction is rolled back and the chunk is redone one
 * item per transaction, so only the bad line fails and every other line is still applied. In a
 * dry run each transaction is rolled back at the end. The Moodle cache invalidations of the
 * transactions that committed (all of them in a dry run) go to the run; those of a refused
 * transaction are dropped with it. Each transaction first takes the feed's lock
 * ({@link MoodleDatabase#lockFor}): two runs of the same feed apply their chunks one at a time.
 */
final class ChunkApplier {
    private ChunkApplier() {
    }

    @FunctionalInterface
    interface Work<T> {
        List<Outcome> apply(Connection c, List<T> items) throws SQLException;
    }

    static <T> List<Outcome> apply(MoodleDatabase db, FeedRun run, List<T> items, Function<T, Outcome> failureTemplate, Work<T> work) {
        if (items.isEmpty()) {
            return List.of();
        }
        boolean dryRun = run.dryRun();
        try {
            List<Outcome> outcomes = db.inTransaction(run.caches(), dryRun, c -> locked(db, run, c, work, items));
            if (!dryRun) {
                db.analyzeIfGrown();
            }
            return outcomes;
        } catch (SQLException | RuntimeException chunkError) {
            stopIfConnectionLost(chunkError);
            if (items.size() == 1) {
                return List.of(failed(failureTemplate.apply(items.get(0)), chunkError));
            }
            List<Outcome> outcomes = new ArrayList<>(items.size());
            for (T item : items) {
                try {
                    outcomes.addAll(db.inTransaction(run.caches(), dryRun, c -> locked(db, run, c, work, List.of(item))));
                } catch (SQLException | RuntimeException lineError) {
                    stopIfConnectionLost(lineError);
                    outcomes.add(failed(failureTemplate.apply(item), lineError));
                }
            }
            return outcomes;
        }
    }

    private static <T> List<Outcome> locked(MoodleDatabase db, FeedRun run, Connection c, Work<T> work, List<T> items) throws SQLException {
        db.lockFor(c, run.feed());
        return work.apply(c, items);
    }

    /**
     * Retrying line by line would wait for the pool's timeout on every line: a lost database
     * stops the file instead. Processing it again later is safe, the lines already applied come
     * out unchanged.
     */
    private static void stopIfConnectionLost(Exception e) {
        if (SqlErrors.isConnectionLoss(e)) {
            throw new MoodleUnavailableException("the connection to the Moodle database was lost (" + SqlErrors.describe(e)
                    + "); the lines before this chunk are applied: process the file again once the database is back", e);
        }
    }

    private static Outcome failed(Outcome template, Exception e) {
        String reason = e instanceof LineRefusedException ? e.getMessage()
                : e instanceof SQLException ? "the database refused the line: " + SqlErrors.describe(e)
                : "unexpected error: " + SqlErrors.describe(e);
        return new Outcome(template.record(), template.key(), template.operation(), OutcomeType.FAILED, reason);
    }
}
