package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.moodlesync.moodle.cache.CacheInvalidations;

/**
 * The entry point of the Moodle layer: the connection pool, the table prefix, and transactions.
 * Every table name goes through {@link #table(String)}; every value goes through a bind
 * parameter. A dry run does the same work in the same transaction and rolls it back, so it
 * validates against the real constraints without leaving anything behind.
 */
public final class MoodleDatabase {
    private static final Pattern SAFE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,20}");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MoodleDatabase.class);
    /** Rows inserted into a table since its statistics were last refreshed. */
    private final java.util.Map<String, Long> growth = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Long> analyzedSize = new java.util.concurrent.ConcurrentHashMap<>();

    private final DataSource dataSource;
    private final String prefix;
    /** The cache invalidations each open transaction has recorded so far, by its connection. */
    private final java.util.Map<Connection, CacheInvalidations> openTransactions =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    public MoodleDatabase(DataSource dataSource, String prefix) {
        if (!SAFE_PREFIX.matcher(prefix).matches()) {
            // The prefix is the one piece of SQL text that comes from configuration: keep it an identifier.
            throw new IllegalArgumentException("moodle.db.prefix must be lower-case letters, digits and '_' (got \"" + prefix + "\")");
        }
        this.dataSource = dataSource;
        this.prefix = prefix;
    }

    public String table(String name) {
        return prefix + name;
    }

    public String prefix() {
        return prefix;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Holds, until the transaction ends, moodle-sync's lock for one kind of work (a feed), so that two
     * runs doing the same work on the same site (the same file twice, overlapping files from two
     * sources, an import beside a run) apply their chunks one after the other: each chunk then plans
     * against what the other's last chunk committed, as if the runs had not overlapped. It is a
     * PostgreSQL advisory lock, which Moodle's own writes never take or wait for.
     */
    public void lockFor(Connection c, String work) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, ADVISORY_LOCK_SPACE | ("moodle-sync:" + work).hashCode() & 0xffffffffL);
            ps.executeQuery().close();
        }
    }

    /** The high bits of moodle-sync's advisory locks ("msyn"), apart from other applications' numbers. */
    private static final long ADVISORY_LOCK_SPACE = 0x6d73796eL << 32;

    /**
     * Runs the work in one transaction: committed, or rolled back when {@code rollback} (dry run) or on error.
     * The Moodle cache invalidations it records are dropped: for work that changes nothing Moodle caches.
     */
    public <T> T inTransaction(boolean rollback, SqlWork<T> work) throws SQLException {
        return inTransaction(null, rollback, work);
    }

    /**
     * {@link #inTransaction(boolean, SqlWork)} that hands the cache invalidations the work recorded
     * (see {@link #caches}) to {@code invalidations} once the transaction committed, or, in a dry
     * run, once it was rolled back as planned (what would be invalidated). A transaction that
     * failed hands nothing: its writes never happened.
     */
    public <T> T inTransaction(CacheInvalidations invalidations, boolean rollback, SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            CacheInvalidations recorded = new CacheInvalidations();
            openTransactions.put(c, recorded);
            try {
                T result = work.run(c);
                if (rollback) {
                    c.rollback();
                } else {
                    c.commit();
                }
                if (invalidations != null) {
                    invalidations.addAll(recorded);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                // On a broken connection the rollback fails too; the first error is the one that says why.
                try {
                    c.rollback();
                } catch (SQLException rollbackError) {
                    e.addSuppressed(rollbackError);
                }
                throw e;
            } finally {
                openTransactions.remove(c);
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the pool discards a broken connection anyway
                }
            }
        }
    }

    /**
     * Where the Moodle layer records the cache invalidations of what it writes on this
     * connection: the open transaction's collector (a throwaway one outside a transaction).
     */
    public CacheInvalidations caches(Connection c) {
        CacheInvalidations recorded = openTransactions.get(c);
        return recorded != null ? recorded : new CacheInvalidations();
    }

    /** Read-only work outside a transaction. */
    public <T> T read(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    /** Tables the feeds look rows up in by key, chunk after chunk: the ones whose statistics must follow a bulk load. */
    private static final java.util.Map<String, String> KEY_LOOKUP_TABLES = java.util.Map.of(
            "user", "mnethostid, deleted, username, idnumber, email",
            "course", "shortname, idnumber, category",
            "context", "contextlevel, instanceid",
            "user_enrolments", "enrolid, userid",
            "role_assignments", "contextid, userid",
            "cache_flags", "flagtype, name");

    void grew(String table, int rows) {
        growth.merge(table, (long) rows, Long::sum);
    }

    /**
     * Refreshes the planner statistics of tables a bulk load has grown by a good share since the
     * last refresh. Without it PostgreSQL still believes a table that went from 2 to 100,000
     * accounts in one file holds 2, and answers each chunk's key lookups with a scan of the whole
     * table instead of its index; autovacuum only catches up a minute later. Runs after a chunk
     * committed, on its own connection; a database user not allowed to ANALYZE only loses speed.
     */
    public void analyzeIfGrown() {
        for (java.util.Map.Entry<String, Long> e : growth.entrySet()) {
            long known = analyzedSize.getOrDefault(e.getKey(), 0L);
            // Doubling steps keep it to a handful of ANALYZEs per load, each only of the key columns.
            if (!KEY_LOOKUP_TABLES.containsKey(e.getKey()) || e.getValue() < Math.max(1000, known)) {
                continue;
            }
            try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("ANALYZE " + table(e.getKey()) + " (" + KEY_LOOKUP_TABLES.get(e.getKey()) + ")");
                try (java.sql.ResultSet rs = st.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = '" + table(e.getKey()) + "'::regclass")) {
                    analyzedSize.put(e.getKey(), rs.next() ? rs.getLong(1) : 0L);
                }
            } catch (SQLException ex) {
                LOG.debug("cannot refresh the statistics of {}: {}", table(e.getKey()), ex.getMessage());
                analyzedSize.put(e.getKey(), Long.MAX_VALUE / 4);
            }
            growth.put(e.getKey(), 0L);
        }
    }
}
