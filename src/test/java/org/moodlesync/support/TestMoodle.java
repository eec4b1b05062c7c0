package org.moodlesync.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Moodle 5.0 that {@code contrib/test-moodle/install.sh} installs (CI uses the same layout from
 * {@code ../shared/moodle/setup.sh}): PHP CLI, PostgreSQL on 127.0.0.1:5432 (moodle/moodle, prefix mdl_), and
 * {@code ROOT/new-db.sh NAME} making a fresh copy of the installed site in under a second. The Moodle-judged
 * tests write a copy with moodle-sync (or with Moodle's own tools) and ask Moodle's PHP APIs, through the
 * scripts of {@code contrib/test-moodle/judge/}, what they see.
 *
 * <p>Where no test Moodle is installed the tests are skipped with a notice saying so and how to install one;
 * with {@code MOODLE_JUDGE_REQUIRED=1} (as {@code .ci/run} sets it) they fail instead, so CI can never pass
 * by skipping them.
 */
public final class TestMoodle implements AutoCloseable {
    public static final String REQUIRED_ENV = "MOODLE_JUDGE_REQUIRED";
    public static final String HOST_URL = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "moodle";
    public static final String PASSWORD = "moodle";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PHP_TIMEOUT_SECONDS = 600;

    private final Path root;
    private final Set<String> copies = new LinkedHashSet<>();

    private TestMoodle(Path root) {
        this.root = root;
    }

    public static Path root() {
        String r = System.getenv("MOODLE_JUDGE_ROOT");
        return Path.of(r == null || r.isBlank() ? "/var/tmp/moodle-judge" : r);
    }

    /** Why no test Moodle can be used here, or null when one can. */
    public static String unavailableReason() {
        Path r = root();
        if (!Files.isExecutable(r.resolve("new-db.sh")) || !Files.isRegularFile(r.resolve("moodle/config.php"))) {
            return "no test Moodle installed under " + r;
        }
        try {
            Process p = new ProcessBuilder("php", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "php does not run";
            }
        } catch (IOException | InterruptedException e) {
            return "php is not installed (" + e.getMessage() + ")";
        }
        return null;
    }

    /**
     * The test Moodle, or the test is skipped (failed with {@value #REQUIRED_ENV}=1) with the reason and the
     * command that installs one.
     */
    public static TestMoodle require() {
        String reason = unavailableReason();
        if (reason != null) {
            String notice = "Moodle-judged test SKIPPED: " + reason + ". Install a test Moodle with "
                    + "'sudo bash contrib/test-moodle/install.sh <moodle-5.0 release .tgz or .zip>' (see README, 'Tests judged by a real Moodle')";
            if ("1".equals(System.getenv(REQUIRED_ENV))) {
                Assertions.fail(notice.replace("SKIPPED", "REQUIRED but unavailable") + "; " + REQUIRED_ENV + "=1 forbids skipping");
            }
            System.err.println(notice);
            Assumptions.abort(notice);
        }
        return new TestMoodle(root());
    }

    public Path moodleDir() {
        return root.resolve("moodle");
    }

    public Path dataroot() {
        return root.resolve("moodledata");
    }

    /** Moodle's cache folder for a copy (config.php keeps each copy's caches apart). */
    public Path cacheDir(String db) {
        return dataroot().resolve("cache_" + db);
    }

    public static Path judgeDir() {
        return SyncFixture.projectHome().resolve("contrib/test-moodle/judge");
    }

    /**
     * A fresh copy of the installed site, named after {@code name} (lower case, digits, _) and this test JVM,
     * so that two test runs on one machine never share a copy; dropped by {@link #close()}.
     */
    public String freshCopy(String name) {
        String db = name + "_" + ProcessHandle.current().pid();
        run(List.of(root.resolve("new-db.sh").toString(), db), Map.of(), null);
        copies.add(db);
        return db;
    }

    public static String jdbcUrl(String db) {
        return HOST_URL + db;
    }

    /** Runs a judge script ({@code check.php}, {@code users.php}, {@code dump.php}...) on a copy; its JSON output. */
    public JsonNode judge(String db, String script, String... args) {
        return judge(db, Map.of(), script, args);
    }

    public JsonNode judge(String db, Map<String, String> env, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("php", judgeDir().resolve(script).toString()));
        cmd.addAll(List.of(args));
        String out = php(db, env, cmd, script.equals("check.php") ? Set.of(0, 1) : Set.of(0));
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError(script + " printed no JSON: " + out, e);
        }
    }

    /** Runs one of Moodle's own CLI scripts ({@code admin/tool/uploaduser/cli/uploaduser.php} ...) on a copy; its output. */
    public String moodleCli(String db, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("php", moodleDir().resolve(script).toString()));
        cmd.addAll(List.of(args));
        return php(db, Map.of(), cmd, Set.of(0));
    }

    /** Runs a command with the copy selected (MOODLE_DIR, MOODLE_JUDGE_DB); fails on an exit code outside {@code ok}. */
    public String php(String db, Map<String, String> env, List<String> cmd, Set<Integer> ok) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("MOODLE_DIR", moodleDir().toString());
        all.put("MOODLE_JUDGE_DB", db);
        return run(cmd, all, ok);
    }

    private static String run(List<String> cmd, Map<String, String> env, Set<Integer> ok) {
        try {
            Path err = Files.createTempFile("test-moodle", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(PHP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", cmd) + " did not end within " + PHP_TIMEOUT_SECONDS + " s");
                }
                String text = new String(out, StandardCharsets.UTF_8);
                if (!(ok == null ? p.exitValue() == 0 : ok.contains(p.exitValue()))) {
                    throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + "\n" + tail(text) + "\n" + tail(Files.readString(err)));
                }
                return text;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }

    /** Sets a Moodle setting through Moodle's own admin/cli/cfg.php (plugin null for core). */
    public void setConfig(String db, String plugin, String name, String value) {
        List<String> args = new ArrayList<>(List.of("--name=" + name, "--set=" + value));
        if (plugin != null) {
            args.add("--component=" + plugin);
        }
        moodleCli(db, "admin/cli/cfg.php", args.toArray(String[]::new));
    }

    /** Moodle's checks found no error: the problems listed otherwise. */
    public JsonNode assertCheckPasses(String db, String scenario) {
        JsonNode check = judge(db, "check.php");
        StringBuilder errors = new StringBuilder();
        for (JsonNode p : check.path("problems")) {
            if (p.path("severity").asText().equals("error")) {
                errors.append("\n  ").append(p.path("check").asText()).append(": ").append(p.path("message").asText());
            }
        }
        Assertions.assertEquals(0, check.path("errors").asInt(-1), scenario + ": Moodle's check.php found errors:" + errors);
        return check;
    }

    /** Drops the copies this object made. */
    @Override
    public void close() {
        for (String db : copies) {
            run(List.of("dropdb", "--if-exists", "-h", "127.0.0.1", "-U", USER, db), Map.of("PGPASSWORD", PASSWORD), null);
            deleteTree(cacheDir(db));
            deleteTree(dataroot().resolve("localcache_" + db));
        }
        copies.clear();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover cache folder is harmless: new-db.sh clears it when the name is used again
        }
    }
}
