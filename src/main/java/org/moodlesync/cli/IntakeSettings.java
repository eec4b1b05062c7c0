package org.moodlesync.cli;

import java.util.Locale;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.intake.ClusterServices;

/**
 * The values routes/intake.yaml, events.yaml and http.yaml read, derived from the documented keys
 * (and defaults for the keys an older configuration file lacks), so that the YAML stays plain.
 */
final class IntakeSettings {
    static final String MASTER_NAMESPACE = "moodle-sync-intake";
    static final String RECOVER_ORPHANS = "moodlesync.intake.recover-orphans";
    static final String RELEASE_DELAY = "moodlesync.intake.release-delay";
    static final String MIN_AGE_MILLIS = "moodlesync.intake.min-age-millis";

    private IntakeSettings() {
    }

    /**
     * Whether files are claimed in the database: for a shared inbox, and for active/passive
     * instances too, whose standby must tell the leader's file in progress from an orphan.
     */
    static boolean claimsInDatabase(SyncConfig config) {
        return config.flag(ConfigKeys.INTAKE_SHARED) || !config.get(ConfigKeys.CLUSTER, "none").equalsIgnoreCase("none");
    }

    static SyncConfig resolve(SyncConfig config, boolean intake) {
        if (!intake) {
            // import, bench...: one file beside a service that may run with the same configuration and ports
            config = config.with(ConfigKeys.HTTP_ENABLED, "false").with("camel.management.enabled", "false");
        }
        SyncConfig c = config.with(ConfigKeys.INTAKE_ENABLED, Boolean.toString(intake))
                .withDefault(ConfigKeys.INTAKE_SHARED, "false")
                .withDefault(ConfigKeys.INTAKE_CLAIM_MAX_AGE, "60")
                .withDefault(ConfigKeys.INTAKE_CLAIM_KEEP_ALIVE, "10")
                .withDefault(ConfigKeys.ON_COMPLETE, "log:moodle-sync.completed")
                .withDefault(ConfigKeys.HTTP_ENABLED, "false")
                .withDefault(ConfigKeys.CLUSTER, "none")
                .withDefault(ConfigKeys.CLUSTER_FILE_ROOT, "work/cluster");
        String readLock = c.get("sync.intake.read-lock", "changed").toLowerCase(Locale.ROOT);
        String strategy = switch (readLock) {
            case "changed" -> "idempotent-changed";
            case "none" -> "idempotent";
            default -> throw new IllegalArgumentException("sync.intake.read-lock must be changed or none (not \"" + readLock + "\")");
        };
        if (c.integer(ConfigKeys.INTAKE_CLAIM_MAX_AGE, 60) <= c.integer(ConfigKeys.INTAKE_CLAIM_KEEP_ALIVE, 10)) {
            throw new IllegalArgumentException("sync.intake.claim-max-age must be longer than sync.intake.claim-keep-alive");
        }
        String cluster = c.get(ConfigKeys.CLUSTER, "none").toLowerCase(Locale.ROOT);
        int minAge = c.integer(ConfigKeys.INTAKE_MIN_AGE, 2);
        if (minAge < 0) {
            throw new IllegalArgumentException(ConfigKeys.INTAKE_MIN_AGE + " must be 0 or more seconds");
        }
        return c.with(ConfigKeys.INTAKE_READ_LOCK_STRATEGY, strategy)
                // a file written to within the last min-age seconds is not taken (with read-lock changed)
                .with(MIN_AGE_MILLIS, readLock.equals("changed") ? Long.toString(minAge * 1000L) : "0")
                .with(ConfigKeys.INTAKE_MASTER_PREFIX, intake ? ClusterServices.masterPrefix(cluster, MASTER_NAMESPACE) : "")
                .with(RECOVER_ORPHANS, Boolean.toString(intake && claimsInDatabase(c)))
                // another instance may still list an archived file for a poll or two: its claim outlives it a little
                .with(RELEASE_DELAY, claimsInDatabase(c) ? Long.toString(2000L + 2 * c.integer("sync.intake.poll-delay", 5000)) : "0");
    }
}
