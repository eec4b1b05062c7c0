package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The entry point of the Moodle layer: the connection pool, the table prefix, and transactions.
 * Every table name goes through {@link #table(String)}; every value goes through a bind
 * parameter. A dry run does the same work in the same transaction and rolls it back, so it
 * validates against the real constraints without leaving anything behind.
 */
public final class MoodleDatabase {
    private static final Pattern SAFE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,20}");

    private final DataSource dataSource;
    private final String prefix;

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

    /** Runs the work in one transaction: committed, or rolled back when {@code rollback} (dry run) or on error. */
    public <T> T inTransaction(boolean rollback, SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                if (rollback) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** Read-only work outside a transaction. */
    public <T> T read(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }
}
