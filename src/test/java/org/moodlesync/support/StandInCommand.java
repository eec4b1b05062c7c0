package org.moodlesync.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for contrib/moodle/invalidate.php: a shell script that appends its arguments and
 * its standard input (the invalidations as JSON) to files, one line per call, then exits with
 * the code it was made with (printing to stderr when it fails), optionally after sleeping.
 */
public final class StandInCommand {
    private final Path script;
    private final Path args;
    private final Path calls;

    public StandInCommand(Path dir, int exitCode, int sleepSeconds) throws IOException {
        Files.createDirectories(dir);
        this.script = dir.resolve("invalidate-stand-in.sh");
        this.args = dir.resolve("args.txt");
        this.calls = dir.resolve("calls.jsonl");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo \"$@\" >> '" + args + "'\n"
                + "cat >> '" + calls + "'\n"
                + "echo >> '" + calls + "'\n"
                + (sleepSeconds > 0 ? "sleep " + sleepSeconds + "\n" : "")
                + (exitCode != 0 ? "echo 'Moodle says: cannot reach the cache store' >&2\n" : "echo 'purged as asked'\n")
                + "exit " + exitCode + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public static StandInCommand succeeding(Path dir) throws IOException {
        return new StandInCommand(dir, 0, 0);
    }

    /** The value for moodle.cache.command, with two arguments to record. */
    public String commandLine() {
        return script + " --moodle=/var/www/moodle 'two words'";
    }

    /** The JSON each call received, in order. */
    public List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    public String lastCall() throws IOException {
        List<String> all = calls();
        if (all.isEmpty()) {
            throw new AssertionError("the invalidation command was never called");
        }
        return all.get(all.size() - 1);
    }

    public List<String> arguments() throws IOException {
        return Files.exists(args) ? Files.readAllLines(args, StandardCharsets.UTF_8) : List.of();
    }
}
