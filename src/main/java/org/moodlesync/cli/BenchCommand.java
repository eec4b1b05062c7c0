package org.moodlesync.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.embedded.EmbeddedMoodle;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.postgresql.PGConnection;

/**
 * {@code moodle-sync bench users --rows N}: generated users files through the real routes into
 * a fresh embedded database, timed per scenario, next to the time PostgreSQL's COPY takes to
 * write the same user and context rows (the physical floor).
 */
final class BenchCommand {
    private final SyncConfig config;
    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(SyncConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int run(CommandLine cl) throws Exception {
        if (!cl.args().isEmpty() && cl.args().get(0).equals("pictures")) {
            return pictures(Integer.parseInt(cl.options().getOrDefault("rows", "1000")));
        }
        if (!cl.args().isEmpty() && cl.args().get(0).equals("enrolments")) {
            return enrolments(Integer.parseInt(cl.options().getOrDefault("rows", "1000000")));
        }
        if (!cl.args().isEmpty() && cl.args().get(0).equals("courses")) {
            return courses(Integer.parseInt(cl.options().getOrDefault("rows", "10000")));
        }
        if (cl.args().isEmpty() || !cl.args().get(0).equals("users")) {
            err.println("usage: moodle-sync bench users [--rows N] [--password-rows M] | bench courses [--rows N] | bench enrolments [--rows N]"
                    + " | bench pictures [--rows N]");
            return ExitCodes.NOT_PROCESSED;
        }
        int rows = Integer.parseInt(cl.options().getOrDefault("rows", "100000"));
        int passwordRows = Integer.parseInt(cl.options().getOrDefault("password-rows", Integer.toString(Math.min(rows, 10_000))));
        Path work = Files.createTempDirectory("moodle-sync-bench");
        try (EmbeddedMoodle moodle = EmbeddedMoodle.start(null, "mdl_")) {
            Path external = work.resolve("userimport_external.csv");
            Path withPasswords = work.resolve("userimport_passwords.csv");
            Path tenPercent = work.resolve("userimport_update.csv");
            writeUsers(external, 0, rows, "ldap", false, -1);
            writeUsers(withPasswords, rows, passwordRows, "manual", true, -1);
            writeUsers(tenPercent, 0, rows, "ldap", false, 10);

            SyncConfig bench = benchConfig(moodle, work).with(ConfigKeys.USERS_IDENTITY, "idnumber");
            out.printf(Locale.ROOT, "moodle-sync bench users: %,d rows, %d cores, max heap %d MB, chunk %s lines%n", rows,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, bench.get(ConfigKeys.CHUNK_SIZE, "500"));
            double copySeconds = copyReference(moodle, rows);
            try (MoodleSyncApp app = MoodleSyncApp.start(bench, false)) {
                RunSummary a = timed(app, external, "(a) create, external auth (ldap), no passwords", OutcomeType.CREATED, rows);
                RunSummary b = timed(app, withPasswords, "(b) create with passwords (SHA-512 crypt)", OutcomeType.CREATED, passwordRows);
                long before = currentTransaction(moodle);
                RunSummary c = timed(app, external, "(c) unchanged re-feed of (a)", OutcomeType.UNCHANGED, rows);
                out.printf(Locale.ROOT, "    rows written by (c) in user, context, user_preferences, user_info_data: %d%n", rowsWrittenSince(moodle, before));
                RunSummary d = timed(app, tenPercent, "(d) re-feed of (a) with 10 % of rows changed", OutcomeType.UPDATED, rows / 10);
                double aSeconds = a.elapsed().toNanos() / 1e9;
                out.printf(Locale.ROOT, "%-52s %9.2f s %,12.0f rows/s%n", "COPY of the same user + context rows (reference)", copySeconds, rows / copySeconds);
                out.printf(Locale.ROOT, "(a) takes %.1fx the time of COPY%n", aSeconds / copySeconds);
                if (a.failed() + b.failed() + c.failed() + d.failed() > 0) {
                    err.println("some lines failed: see " + work.resolve("reports"));
                    return ExitCodes.LINES_FAILED;
                }
            }
        } finally {
            DemoCommand.deleteTree(work);
        }
        return ExitCodes.OK;
    }

    /** N users, then one archive of N 640×480 JPEG photos through the pictures feed into a temporary dataroot. */
    private int pictures(int rows) throws Exception {
        Path work = Files.createTempDirectory("moodle-sync-bench");
        try (EmbeddedMoodle moodle = EmbeddedMoodle.start(null, "mdl_")) {
            Path userFile = work.resolve("userimport.csv");
            writeUsers(userFile, 0, rows, "ldap", false, -1);
            Path archive = work.resolve("userpictures_bench.zip");
            java.util.Random random = new java.util.Random(42);
            try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(archive))) {
                for (int i = 0; i < rows; i++) {
                    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
                    java.awt.Graphics2D g = img.createGraphics();
                    for (int k = 0; k < 8; k++) {
                        g.setColor(new java.awt.Color(random.nextInt(0xFFFFFF)));
                        g.fillOval(random.nextInt(640), random.nextInt(480), 50 + random.nextInt(200), 50 + random.nextInt(200));
                    }
                    g.dispose();
                    zip.putNextEntry(new java.util.zip.ZipEntry("user" + i + ".jpg"));
                    javax.imageio.ImageIO.write(img, "jpg", zip);
                    zip.closeEntry();
                }
            }
            SyncConfig bench = benchConfig(moodle, work).with(ConfigKeys.DATAROOT, work.resolve("moodledata").toString());
            out.printf(Locale.ROOT, "moodle-sync bench pictures: %,d JPEG photos of 640x480 in one archive, %d cores, max heap %d MB%n", rows,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            try (MoodleSyncApp app = MoodleSyncApp.start(bench, false)) {
                app.process("users", userFile, false);
                RunSummary first = timed(app, "pictures", archive, "(a) new pictures (3 PNG icons each, file pool, file records)", OutcomeType.CREATED, rows);
                RunSummary again = timed(app, "pictures", archive, "(b) the same archive again", OutcomeType.UNCHANGED, rows);
                return first.failed() + again.failed() > 0 ? ExitCodes.LINES_FAILED : ExitCodes.OK;
            }
        } finally {
            DemoCommand.deleteTree(work);
        }
    }

    /** N add lines over 1,000 courses and 100,000 users (made first by the users and courses feeds), then the same file again. */
    private int enrolments(int rows) throws Exception {
        int users = Math.min(100_000, Math.max(rows / 10, 1000));
        int courseCount = 1000;
        Path work = Files.createTempDirectory("moodle-sync-bench");
        try (EmbeddedMoodle moodle = EmbeddedMoodle.start(null, "mdl_")) {
            Path userFile = work.resolve("userimport.csv");
            writeUsers(userFile, 0, users, "ldap", false, -1);
            Path courseFile = work.resolve("uploadcourses.csv");
            try (BufferedWriter w = Files.newBufferedWriter(courseFile, StandardCharsets.UTF_8)) {
                w.write("shortname;fullname;idnumber;category\n");
                for (int i = 0; i < courseCount; i++) {
                    w.write("C" + i + ";Course " + i + ";CID" + i + ";School/Department " + (i % 20) + "\n");
                }
            }
            Path enrolFile = work.resolve("enrols.csv");
            try (BufferedWriter w = Files.newBufferedWriter(enrolFile, StandardCharsets.UTF_8)) {
                w.write("cmd;rolename;cid;uid;enrol\n");
                for (int k = 0; k < rows; k++) {
                    int u = k % users;
                    int course = (u + (k / users) * 100) % courseCount;
                    w.write("add;student;CID" + course + ";user" + u + ";manual\n");
                }
            }
            SyncConfig bench = benchConfig(moodle, work);
            out.printf(Locale.ROOT, "moodle-sync bench enrolments: %,d add lines over %,d courses and %,d users, %d cores, max heap %d MB, chunk %s lines%n",
                    rows, courseCount, users, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, bench.get(ConfigKeys.CHUNK_SIZE, "500"));
            try (MoodleSyncApp app = MoodleSyncApp.start(bench, false)) {
                app.process("users", userFile, false);
                app.process("courses", courseFile, false);
                RunSummary add = timed(app, "enrolments", enrolFile, "(a) add (enrolment, role, dirty-user flag)", OutcomeType.CREATED, rows);
                long before = currentTransaction(moodle);
                RunSummary again = timed(app, "enrolments", enrolFile, "(b) unchanged re-feed", OutcomeType.UNCHANGED, rows);
                try (Connection c = moodle.connect(); Statement st = c.createStatement();
                     var rs = st.executeQuery("SELECT (SELECT count(*) FROM mdl_user_enrolments WHERE xmin::text::bigint > " + before + ")"
                             + " + (SELECT count(*) FROM mdl_role_assignments WHERE xmin::text::bigint > " + before + ")")) {
                    rs.next();
                    out.printf(Locale.ROOT, "    enrolment and role rows written by (b): %d%n", rs.getLong(1));
                }
                return add.failed() + again.failed() > 0 ? ExitCodes.LINES_FAILED : ExitCodes.OK;
            }
        } finally {
            DemoCommand.deleteTree(work);
        }
    }

    /** N courses in 100 categories (created by the feed from their paths), then the same file again with courses.force-update on. */
    private int courses(int rows) throws Exception {
        Path work = Files.createTempDirectory("moodle-sync-bench");
        try (EmbeddedMoodle moodle = EmbeddedMoodle.start(null, "mdl_")) {
            Path file = work.resolve("uploadcourses.csv");
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("shortname;fullname;idnumber;category;summary;startdate;topic1\n");
                for (int i = 0; i < rows; i++) {
                    w.write("C" + i + ";Course " + i + ";CID" + i + ";School/Department " + (i % 100) + ";<p>About course " + i + "</p>;2026-09-01;Welcome|Read this first\n");
                }
            }
            SyncConfig bench = benchConfig(moodle, work).with(ConfigKeys.COURSES_FORCE_UPDATE, "true");
            out.printf(Locale.ROOT, "moodle-sync bench courses: %,d courses in 100 categories, %d cores, max heap %d MB, chunk %s lines%n", rows,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, bench.get(ConfigKeys.CHUNK_SIZE, "500"));
            try (MoodleSyncApp app = MoodleSyncApp.start(bench, false)) {
                RunSummary create = timed(app, "courses", file, "(a) create (with sections, format options, enrol instances)", OutcomeType.CREATED, rows);
                long before = currentTransaction(moodle);
                RunSummary again = timed(app, "courses", file, "(b) unchanged re-feed (courses.force-update=true)", OutcomeType.UNCHANGED, rows);
                try (Connection c = moodle.connect(); Statement st = c.createStatement();
                     var rs = st.executeQuery("SELECT count(*) FROM mdl_course WHERE xmin::text::bigint > " + before)) {
                    rs.next();
                    out.printf(Locale.ROOT, "    course rows written by (b): %d%n", rs.getLong(1));
                }
                return create.failed() + again.failed() > 0 ? ExitCodes.LINES_FAILED : ExitCodes.OK;
            }
        } finally {
            DemoCommand.deleteTree(work);
        }
    }

    /** The configuration pointed at the bench's embedded database and temporary folders. */
    private SyncConfig benchConfig(EmbeddedMoodle moodle, Path work) {
        return config.with(ConfigKeys.DB_URL, moodle.jdbcUrl()).with(ConfigKeys.DB_USER, moodle.user())
                .with(ConfigKeys.DB_PASSWORD, moodle.password()).with(ConfigKeys.DB_PREFIX, "mdl_")
                .with(ConfigKeys.ARCHIVE, work.resolve("archive").toString())
                .with(ConfigKeys.INBOX, work.resolve("inbox").toString())
                .with(ConfigKeys.FAILED, work.resolve("failed").toString())
                .with(ConfigKeys.REPORTS, work.resolve("reports").toString());
    }

    private RunSummary timed(MoodleSyncApp app, Path file, String label, OutcomeType expected, int expectedCount) {
        return timed(app, "users", file, label, expected, expectedCount);
    }

    private RunSummary timed(MoodleSyncApp app, String feed, Path file, String label, OutcomeType expected, int expectedCount) {
        RunSummary s = app.process(feed, file, false);
        double seconds = s.elapsed().toNanos() / 1e9;
        out.printf(Locale.ROOT, "%-52s %9.2f s %,12.0f rows/s   %s=%d failed=%d%n", label, seconds, s.lines() / seconds,
                expected.label(), s.count(expected), s.failed());
        if (s.count(expected) != expectedCount) {
            err.printf("  expected %s=%d%n", expected.label(), expectedCount);
        }
        return s;
    }

    private static long currentTransaction(EmbeddedMoodle moodle) throws Exception {
        try (Connection c = moodle.connect(); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows inserted or updated by transactions after {@code xid} (every write leaves its transaction id in the row's xmin). */
    private static long rowsWrittenSince(EmbeddedMoodle moodle, long xid) throws Exception {
        long rows = 0;
        try (Connection c = moodle.connect(); Statement st = c.createStatement()) {
            for (String table : new String[] {"mdl_user", "mdl_context", "mdl_user_preferences", "mdl_user_info_data"}) {
                try (var rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE xmin::text::bigint > " + xid)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return rows;
    }

    /**
     * Writes users numbered from {@code first}. With {@code changeEvery} > 0 every such row gets
     * another city, which is what the update scenario changes.
     */
    static void writeUsers(Path file, int first, int count, String auth, boolean passwords, int changeEvery) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("username;idnumber;firstname;lastname;email;auth;city;country;institution" + (passwords ? ";password" : "") + "\n");
            for (int i = first; i < first + count; i++) {
                String city = changeEvery > 0 && i % changeEvery == 0 ? "Lyon" : "Paris";
                w.write("user" + i + ";E" + i + ";Firstname" + i + ";Lastname" + i + ";user" + i + "@example.org;" + auth + ";" + city
                        + ";FR;Lycée Victor Hugo" + (passwords ? ";Secret-" + i : "") + "\n");
            }
        }
    }

    /** COPY of the rows (a) writes, into empty copies of the user and context tables with the same indexes. */
    private static double copyReference(EmbeddedMoodle moodle, int rows) throws Exception {
        StringBuilder users = new StringBuilder(rows * 120);
        StringBuilder contexts = new StringBuilder(rows * 30);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < rows; i++) {
            long id = 1_000_000L + i;
            users.append(id).append(",\"ldap\",1,1,user").append(i).append(",\"not cached\",E").append(i).append(",Firstname").append(i)
                    .append(",Lastname").append(i).append(",user").append(i).append("@example.org,Paris,FR,\"Lycée Victor Hugo\",en,99,")
                    .append(now).append(',').append(now).append('\n');
            contexts.append(2_000_000L + i).append(",30,").append(id).append(",/1/").append(2_000_000L + i).append(",2\n");
        }
        try (Connection c = moodle.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bench_user (LIKE mdl_user INCLUDING ALL)");
            st.execute("CREATE TABLE bench_context (LIKE mdl_context INCLUDING ALL)");
            long start = System.nanoTime();
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY bench_user (id, auth, confirmed, mnethostid, username, password, idnumber, firstname, lastname, email, city,"
                    + " country, institution, lang, timezone, timecreated, timemodified) FROM STDIN WITH (FORMAT csv)", new StringReader(users.toString()));
            copy.copyIn("COPY bench_context (id, contextlevel, instanceid, path, depth) FROM STDIN WITH (FORMAT csv)", new StringReader(contexts.toString()));
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            st.execute("DROP TABLE bench_user");
            st.execute("DROP TABLE bench_context");
            return seconds;
        }
    }
}
