package org.moodlesync.events;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * moodle-sync's own health check, next to Camel's (GET /observe/health?data=true): ready when the
 * Moodle database answers, with the last run of every feed in its details (status, when, lines,
 * failed lines), so a probe or an operator sees at once which feed last went wrong.
 */
public final class MoodleSyncHealth extends AbstractHealthCheck {
    private final DataSource dataSource;
    private final RunHistory history;

    public MoodleSyncHealth(DataSource dataSource, RunHistory history) {
        super("moodle-sync", "moodle-sync");
        this.dataSource = dataSource;
        this.history = history;
    }

    /** A lost database is not cured by a restart: only readiness goes DOWN, the process stays up and retries. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        for (Map.Entry<String, RunRecord> last : history.lastPerFeed().entrySet()) {
            RunRecord run = last.getValue();
            String prefix = "feed." + last.getKey() + ".";
            builder.detail(prefix + "status", run.status());
            builder.detail(prefix + "file", run.file());
            if (run.summary() != null) {
                builder.detail(prefix + "ended", run.summary().started().plus(run.summary().elapsed()).toString());
                builder.detail(prefix + "lines", run.summary().lines());
                builder.detail(prefix + "failed", run.summary().failed());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(5)) {
                builder.up();
                return;
            }
            builder.message("the Moodle database does not answer");
        } catch (Exception e) {
            builder.message("the Moodle database is not reachable: " + e.getMessage());
        }
        builder.down();
    }
}
