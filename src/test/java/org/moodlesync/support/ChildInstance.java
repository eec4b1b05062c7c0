package org.moodlesync.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.moodlesync.config.ConfigKeys;

/**
 * A {@code moodle-sync run} in a JVM of its own, as an operator starts it, with a configuration file: for tests
 * of several instances, kills (SIGKILL) and restarts. Its output is appended to a log file.
 */
public final class ChildInstance implements AutoCloseable {
    private final Path config;
    private final Path log;
    private final String heap;
    private Process process;

    public ChildInstance(Path config, Path log, String heap) {
        this.config = config;
        this.log = log;
        this.heap = heap;
    }

    /** Writes a configuration file of the given keys (values escaped as properties files want them). */
    public static Path writeConfig(Path file, Map<String, String> keys) throws IOException {
        StringBuilder p = new StringBuilder();
        keys.forEach((k, v) -> p.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.createDirectories(file.getParent());
        return Files.writeString(file, p.toString());
    }

    public ChildInstance start() throws IOException {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", System.getProperty("java.class.path"), "-D" + ConfigKeys.HOME + "=" + SyncFixture.projectHome(),
                "org.moodlesync.cli.MoodleSyncCli", "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** The process id of the running JVM (the claims' owner names it), or -1. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** kill -9: no shutdown hook runs, files in progress stay where they are. */
    public void kill() throws InterruptedException, IOException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            Files.writeString(log, "\n=== killed (SIGKILL) by the test ===\n", StandardOpenOption.APPEND);
        }
    }

    /** A normal stop (SIGTERM), as systemd or Kubernetes stop an instance. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
