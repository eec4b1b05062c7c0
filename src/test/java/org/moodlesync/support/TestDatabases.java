package org.moodlesync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.moodlesync.embedded.EmbeddedMoodle;

/**
 * One embedded PostgreSQL for the whole test run, holding the freshly seeded Moodle database as
 * a template; every test gets its own copy ({@code CREATE DATABASE ... TEMPLATE}, about 0.1 s),
 * so tests never see each other's rows.
 */
public final class TestDatabases {
    private static EmbeddedMoodle server;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {
    }

    private static synchronized EmbeddedMoodle server() throws Exception {
        if (server == null) {
            server = EmbeddedMoodle.start(null, "mdl_", true);
            EmbeddedMoodle s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server;
    }

    /** A new database holding a fresh Moodle 5.0 seed; returns its JDBC URL. */
    public static String freshMoodle() throws Exception {
        EmbeddedMoodle s = server();
        String name = "moodle_test_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl().replace("/moodle", "/postgres"), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE " + EmbeddedMoodle.DATABASE);
        }
        return s.jdbcUrl().replace("/moodle", "/" + name);
    }

    /** An empty database: reachable, but not a Moodle database. */
    public static String emptyDatabase() throws Exception {
        EmbeddedMoodle s = server();
        String name = "empty_test_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl().replace("/moodle", "/postgres"), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return s.jdbcUrl().replace("/moodle", "/" + name);
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, EmbeddedMoodle.USER, EmbeddedMoodle.PASSWORD);
    }

    public static String user() {
        return EmbeddedMoodle.USER;
    }

    public static String password() {
        return EmbeddedMoodle.PASSWORD;
    }
}
