package org.moodlesync.moodle;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Inserts rows naming only the columns we set, so Moodle's column defaults fill the rest and one
 * build serves every Moodle version from 4.1 on. Large batches stream through PostgreSQL's COPY
 * (values travel as data, never as SQL text); small ones use a JDBC batch.
 */
final class RowInserter {
    private static final int COPY_THRESHOLD = 64;

    private RowInserter() {
    }

    static void insert(Connection c, MoodleDatabase db, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        db.grew(table, rows.size());
        if (rows.size() >= COPY_THRESHOLD) {
            copy(c, db.table(table), columns, rows);
        } else {
            batch(c, db.table(table), columns, rows);
        }
    }

    private static void batch(Connection c, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void copy(Connection c, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        StringBuilder data = new StringBuilder(rows.size() * 128);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    data.append(',');
                }
                appendCsv(data, row[i]);
            }
            data.append('\n');
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(data.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
        }
    }

    /** In COPY's CSV format an unquoted empty field is NULL and a quoted one is the empty string. */
    private static void appendCsv(StringBuilder sb, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Number) {
            sb.append(value);
            return;
        }
        String s = value.toString();
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                sb.append('"');
            }
            sb.append(ch);
        }
        sb.append('"');
    }
}
