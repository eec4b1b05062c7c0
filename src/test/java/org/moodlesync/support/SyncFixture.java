package org.moodlesync.support;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.moodlesync.MoodleInvariants;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.ConfigLoader;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.pipeline.RunSummary;

/**
 * A moodle-sync as the commands start it: the project's config/ and routes/, a fresh Moodle
 * database of its own, and inbox, archive, failed and reports folders in a temporary folder.
 */
public final class SyncFixture implements AutoCloseable {
    public final Path dir;
    public final String dbUrl;
    private final Map<String, String> overrides = new HashMap<>();
    private MoodleSyncApp app;

    private final String dbUser;
    private final String dbPassword;

    public SyncFixture(Path dir) throws Exception {
        this(dir, TestDatabases.freshMoodle(), TestDatabases.user(), TestDatabases.password());
    }

    /** A moodle-sync on a database of its own choosing, e.g. a copy of the real test Moodle ({@link TestMoodle}). */
    public SyncFixture(Path dir, String dbUrl, String dbUser, String dbPassword) {
        this.dir = dir;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    public static Path projectHome() {
        return Path.of(System.getProperty(ConfigKeys.HOME, ".")).toAbsolutePath();
    }

    /** Sets a configuration key; a running app is stopped and starts again with it at its next use. */
    public SyncFixture set(String key, String value) {
        if (app != null) {
            app.close();
            app = null;
        }
        overrides.put(key, value);
        return this;
    }

    public SyncConfig config() {
        SyncConfig c = ConfigLoader.load(projectHome(), null, Map.of(), new Properties())
                .with(ConfigKeys.DB_URL, dbUrl)
                .with(ConfigKeys.DB_USER, dbUser)
                .with(ConfigKeys.DB_PASSWORD, dbPassword)
                .with(ConfigKeys.INBOX, dir.resolve("inbox").toString())
                .with(ConfigKeys.ARCHIVE, dir.resolve("archive").toString())
                .with(ConfigKeys.FAILED, dir.resolve("failed").toString())
                .with(ConfigKeys.REPORTS, dir.resolve("reports").toString())
                .with("sync.intake.poll-delay", "200")
                .with("sync.intake.read-lock", "none");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    public MoodleSyncApp app() throws Exception {
        if (app == null) {
            app = MoodleSyncApp.start(config(), false);
        }
        return app;
    }

    /** Starts the app with the inbox poller on. */
    public MoodleSyncApp startPolling(Path... extraRoutes) throws Exception {
        if (app != null) {
            app.close();
        }
        app = MoodleSyncApp.start(config(), true, extraRoutes);
        return app;
    }

    public Path write(String name, String content) throws IOException {
        return write(name, content, StandardCharsets.UTF_8);
    }

    public Path write(String name, String content, Charset charset) throws IOException {
        Path f = dir.resolve("files").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, charset);
        return f;
    }

    public RunSummary feed(String feed, String name, String content) throws Exception {
        return app().process(feed, write(name, content), false);
    }

    public RunSummary dryRun(String feed, String name, String content) throws Exception {
        return app().process(feed, write(name, content), true);
    }

    public Connection connect() throws SQLException {
        return java.sql.DriverManager.getConnection(dbUrl, dbUser, dbPassword);
    }

    public long count(String sql, Object... params) throws SQLException {
        return Long.parseLong(scalar(sql, params));
    }

    public String scalar(String sql, Object... params) throws SQLException {
        List<Map<String, String>> rows = rows(sql, params);
        if (rows.isEmpty()) {
            return null;
        }
        return rows.get(0).values().iterator().next();
    }

    public Map<String, String> row(String sql, Object... params) throws SQLException {
        List<Map<String, String>> rows = rows(sql, params);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    public List<Map<String, String>> rows(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    public void execute(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    /**
     * Moodle's own checks (context paths, leftovers of deleted users, ...) find nothing wrong, and
     * with a dataroot, every file row's content is in the pool with the hash and size it claims.
     */
    public void assertMoodleConsistent() throws SQLException, IOException {
        try (Connection c = connect()) {
            MoodleInvariants.assertNone(c, "mdl_");
        }
        String dataroot = overrides.getOrDefault(ConfigKeys.DATAROOT, "");
        if (!dataroot.isBlank()) {
            for (Map<String, String> f : rows("SELECT contenthash, filesize FROM mdl_files WHERE filename <> '.'")) {
                String h = f.get("contenthash");
                Path content = Path.of(dataroot, "filedir", h.substring(0, 2), h.substring(2, 4), h);
                byte[] bytes = Files.readAllBytes(content);
                org.junit.jupiter.api.Assertions.assertEquals(h, org.moodlesync.moodle.UserPictures.sha1(bytes), "content hash of " + content);
                org.junit.jupiter.api.Assertions.assertEquals(Long.parseLong(f.get("filesize")), bytes.length, "size of " + content);
            }
        }
    }

    /** The end of every test on this fixture: Moodle's invariants hold, then the app stops whatever they say. */
    public void checkAndClose() throws SQLException, IOException {
        try {
            assertMoodleConsistent();
        } finally {
            close();
        }
    }

    public String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
            app = null;
        }
    }
}
