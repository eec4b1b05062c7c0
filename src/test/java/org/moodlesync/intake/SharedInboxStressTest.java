package org.moodlesync.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.moodlesync.MoodleInvariants;
import org.moodlesync.support.ChildInstance;
import org.moodlesync.support.TestDatabases;

/**
 * Three {@code moodle-sync run} instances (JVMs of their own) share one inbox and one database under real timing:
 * 200 files, some written slowly in place, some with long or non-ASCII names, some large; one instance is killed
 * (SIGKILL) part-way and started again. Every file must complete exactly once (one "completed" completion event
 * each, every line accounted for), and Moodle's invariants must hold. Run with the documented slow timings
 * (poll every 2 s, claims expire after 20 s, refreshed every 5 s) and with the defaults.
 *
 * <p>{@code -Dmoodlesync.stress.rounds=N} repeats each timing N times (default 1).
 */
class SharedInboxStressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL = 150;
    private static final int LONG_NAMES = 20;
    private static final int NON_ASCII = 20;
    private static final int SLOW = 4;
    private static final int SLOW_LINES = 20_000;
    private static final int LARGE = 6;
    private static final int LARGE_LINES = 20_000;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"slow", "default"})
    void everyFileCompletesExactlyOnceAcrossThreeInstancesWithAKill(String timing) throws Exception {
        int rounds = Integer.getInteger("moodlesync.stress.rounds", 1);
        for (int round = 1; round <= rounds; round++) {
            String summary = round(timing, round, tmp.resolve(timing + "-" + round));
            System.out.println("stress " + timing + " round " + round + "/" + rounds + ": " + summary);
        }
    }

    private String round(String timing, int round, Path dir) throws Exception {
        long started = System.currentTimeMillis();
        boolean slow = timing.equals("slow");
        String db = TestDatabases.freshMoodle();
        Path inbox = dir.resolve("inbox");
        Path events = dir.resolve("events");
        Files.createDirectories(inbox);
        Files.createDirectories(events);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("moodle.db.url", db);
        keys.put("moodle.db.user", TestDatabases.user());
        keys.put("moodle.db.password", TestDatabases.password());
        keys.put("sync.inbox", inbox.toString());
        keys.put("sync.archive", dir.resolve("archive").toString());
        keys.put("sync.failed", dir.resolve("failed").toString());
        keys.put("sync.reports", dir.resolve("reports").toString());
        keys.put("sync.intake.shared", "true");
        keys.put("sync.on-complete", "file:" + events + "?fileName=${header.moodleSyncRunId}.json");
        if (slow) {
            keys.put("sync.intake.poll-delay", "2000");
            keys.put("sync.intake.claim-max-age", "20");
            keys.put("sync.intake.claim-keep-alive", "5");
        }
        Path config = ChildInstance.writeConfig(dir.resolve("instance.properties"), keys);
        List<ChildInstance> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            instances.add(new ChildInstance(config, dir.resolve("instance-" + i + ".log"), "256m").start());
        }
        Random random = new Random(round * 31L + timing.hashCode());
        Map<String, Integer> expected = new TreeMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(SLOW);
        try {
            Path staging = Files.createDirectories(dir.resolve("staging"));
            int n = 0;
            List<String[]> quick = new ArrayList<>();
            for (int i = 0; i < SMALL; i++) {
                quick.add(new String[] {String.format("userimport_s%03d.csv", n), "3", Integer.toString(n++)});
            }
            for (int i = 0; i < LONG_NAMES; i++) {
                quick.add(new String[] {"userimport_" + "long".repeat(40) + String.format("_%03d.csv", n), "3", Integer.toString(n++)});
            }
            for (int i = 0; i < NON_ASCII; i++) {
                quick.add(new String[] {String.format("userimport_élèves_Ωμέγα_日本_%03d.csv", n), "3", Integer.toString(n++)});
            }
            for (int i = 0; i < LARGE; i++) {
                quick.add(new String[] {String.format("userimport_large_%03d.csv", n), Integer.toString(LARGE_LINES), Integer.toString(n++)});
            }
            java.util.Collections.shuffle(quick, random);
            for (int i = 0; i < SLOW; i++) {
                int file = n++;
                String name = String.format("userimport_slow_%03d.csv", file);
                expected.put(name, SLOW_LINES);
                writers.submit(() -> writeSlowly(inbox.resolve(name), file, SLOW_LINES));
            }
            int dropped = 0;
            boolean killed = false;
            for (String[] f : quick) {
                int lines = Integer.parseInt(f[1]);
                expected.put(f[0], lines);
                Path aside = users(staging.resolve(f[0]), Integer.parseInt(f[2]), lines);
                Files.move(aside, inbox.resolve(f[0]));
                dropped++;
                if (dropped % 10 == 0) {
                    Thread.sleep(150 + random.nextInt(200));
                }
                if (!killed && dropped > quick.size() / 3 && events(events).size() > 20) {
                    killed = killOneAtWork(db, instances);
                }
            }
            long wait = System.currentTimeMillis() + 60_000;
            while (!killed && System.currentTimeMillis() < wait) {
                killed = killOneAtWork(db, instances);
                Thread.sleep(200);
            }
            assertTrue(killed, "an instance was killed while it processed a file");
            writers.shutdown();
            assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS), "the slow writers ended");

            long deadline = System.currentTimeMillis() + (slow ? 300_000 : 360_000);
            while (System.currentTimeMillis() < deadline && !(completedFiles(events(events)).keySet().containsAll(expected.keySet())
                    && pending(inbox) == 0)) {
                Thread.sleep(1_000);
            }
            Thread.sleep(slow ? 6_000 : 12_000); // a second processing of any file would show up here
        } finally {
            writers.shutdownNow();
            instances.forEach(ChildInstance::close);
        }

        List<JsonNode> all = events(events);
        Map<String, List<JsonNode>> byFile = completedFiles(all);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<JsonNode> done = byFile.getOrDefault(e.getKey(), List.of());
            if (done.size() != 1) {
                problems.add(e.getKey() + ": " + done.size() + " completed events");
                continue;
            }
            JsonNode ev = done.get(0);
            if (ev.path("lines").asLong() != e.getValue() || ev.path("failed").asLong() != 0) {
                problems.add(e.getKey() + ": " + ev);
            }
        }
        all.stream().filter(ev -> !ev.path("status").asText().equals("completed")).forEach(ev -> problems.add("not completed: " + ev));
        assertEquals(List.of(), problems, timing + " round " + round + ": see " + dir);
        int users = expected.values().stream().mapToInt(Integer::intValue).sum();
        try (Connection c = DriverManager.getConnection(db, TestDatabases.user(), TestDatabases.password())) {
            assertEquals(users, count(c, "SELECT count(*) FROM mdl_user WHERE username LIKE 'f%u%'"), "every line's account, once");
            MoodleInvariants.assertNone(c, "mdl_");
        }
        try (Stream<Path> archived = Files.list(dir.resolve("archive"))) {
            assertEquals(expected.size(), archived.count(), "each file archived once");
        }
        return expected.size() + " files, " + users + " lines, each file completed once, in "
                + (System.currentTimeMillis() - started) / 1000 + " s";
    }

    /**
     * Kills (SIGKILL) an instance that holds the claim of a file it is processing, a large one when there is one,
     * and starts it again two seconds later. False when no instance holds a claim right now.
     */
    private static boolean killOneAtWork(String db, List<ChildInstance> instances) throws Exception {
        List<String> owners = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT owner FROM " + FileClaims.TABLE + " WHERE messageId NOT LIKE 'source-%'"
                     + " ORDER BY (messageId LIKE 'userimport_large%') DESC")) {
            while (rs.next()) {
                owners.add(rs.getString(1));
            }
        } catch (java.sql.SQLException noTableYet) {
            return false;
        }
        for (String owner : owners) {
            for (ChildInstance instance : instances) {
                if (instance.alive() && owner != null && owner.startsWith(instance.pid() + "@")) {
                    instance.kill();
                    Thread.sleep(2_000);
                    instance.start();
                    return true;
                }
            }
        }
        return false;
    }

    /** Files still in the inbox or in progress (hidden ones and sub-folders aside). */
    private static long pending(Path inbox) throws IOException {
        long n = 0;
        for (Path dir : List.of(inbox, inbox.resolve(".inprogress"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    n += s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
                }
            }
        }
        return n;
    }

    private static List<JsonNode> events(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).toList()) {
                try {
                    out.add(JSON.readTree(p.toFile()));
                } catch (IOException partlyWritten) {
                    // read again at the next look
                }
            }
        }
        return out;
    }

    private static Map<String, List<JsonNode>> completedFiles(List<JsonNode> events) {
        Map<String, List<JsonNode>> byFile = new TreeMap<>();
        for (JsonNode ev : events) {
            if (ev.path("status").asText().equals("completed")) {
                byFile.computeIfAbsent(ev.path("file").asText(), k -> new ArrayList<>()).add(ev);
            }
        }
        return byFile;
    }

    private static Path users(Path file, int fileNo, int lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("username;firstname;lastname;email\n");
            for (int i = 0; i < lines; i++) {
                w.write("f" + fileNo + "u" + i + ";First;Last;f" + fileNo + "u" + i + "@example.org\n");
            }
        }
        return file;
    }

    /**
     * An upload in progress that pauses longer than the read lock's check interval: the file grows in the inbox in
     * eight pieces over about nine seconds.
     */
    private static Void writeSlowly(Path file, int fileNo, int lines) throws Exception {
        Files.writeString(file, "username;firstname;lastname;email\n", StandardCharsets.UTF_8);
        int piece = Math.max(1, lines / 8);
        for (int from = 0; from < lines; from += piece) {
            StringBuilder part = new StringBuilder();
            for (int i = from; i < Math.min(lines, from + piece); i++) {
                part.append('f').append(fileNo).append('u').append(i).append(";First;Last;f").append(fileNo).append('u').append(i).append("@example.org\n");
            }
            Files.writeString(file, part, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Thread.sleep(1_100);
        }
        return null;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
