package org.moodlesync.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates the Moodle 5.0 tables moodle-sync works with, seeded like a fresh Moodle install.
 *
 * <p>The SQL lives in {@code /moodle-schema/schema.sql} and {@code /moodle-schema/seed.sql}; every table,
 * sequence and index name there starts with the placeholder {@code ${prefix}}, replaced by the configured
 * table prefix (Moodle's default {@code mdl_}). Sequences are named {@code <prefix><table>_id_seq}.
 */
public final class MoodleSchema {

    public static final String DEFAULT_PREFIX = "mdl_";
    public static final String SCHEMA_RESOURCE = "/moodle-schema/schema.sql";
    public static final String SEED_RESOURCE = "/moodle-schema/seed.sql";

    private static final Pattern VALID_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");

    private MoodleSchema() {
    }

    /** Creates all tables, indexes and sequences, then the fresh-install seed, in one transaction. */
    public static void create(Connection c, String prefix) throws SQLException {
        checkPrefix(prefix);
        List<String> statements = new ArrayList<>();
        statements.addAll(statements(SCHEMA_RESOURCE, prefix));
        statements.addAll(statements(SEED_RESOURCE, prefix));
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    throw new SQLException("Moodle schema statement failed: " + e.getMessage() + "\n" + sql,
                            e.getSQLState(), e);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** True when {@code <prefix>config} exists in the connection's current schema search path. */
    public static boolean exists(Connection c, String prefix) throws SQLException {
        checkPrefix(prefix);
        try (var ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, prefix + "config");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The statements of a bundled SQL resource with the prefix substituted (visible for tests). */
    public static List<String> statements(String resource, String prefix) {
        checkPrefix(prefix);
        String text;
        try (InputStream in = MoodleSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return split(text.replace("${prefix}", prefix));
    }

    /**
     * Splits on {@code ;} at the end of a line. Whole-line {@code --} comments are dropped; no other
     * parsing is done, so a statement must never contain a line ending in {@code ;} inside a literal.
     */
    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : sql.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                cur.append(line, 0, line.lastIndexOf(';'));
                String s = cur.toString().strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
                cur.setLength(0);
            } else {
                cur.append(line).append('\n');
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    static void checkPrefix(String prefix) {
        if (prefix == null || !VALID_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Invalid Moodle table prefix '" + prefix
                    + "': lower-case letter first, then lower-case letters, digits or _ (max 20)");
        }
    }
}
