package org.moodlesync.moodle;

import java.sql.SQLException;

/** Turns database errors into one-line messages for reports and operators. */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** True when the database could not be reached, as opposed to refusing a statement. */
    public static boolean isConnectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            // 08: connection exceptions; 57P01-57P03: the server is shutting down or restarting
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    public static String describe(Throwable e) {
        // A batch error's own message quotes the whole statement with its values (password hashes
        // included): the reason is in the next exception.
        if (e instanceof java.sql.BatchUpdateException b && b.getNextException() != null) {
            return describe(b.getNextException());
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof SQLException)) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return "database unreachable: " + firstLine(msg);
        }
        return firstLine(msg);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
