package org.moodlesync.moodle.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * moodle.cache.invalidation=command: runs moodle.cache.command (on this host, or on the Moodle
 * host through ssh) with the invalidations as JSON on its standard input (see
 * {@link CacheInvalidations.Snapshot#toJson()}), typically contrib/moodle/invalidate.php, which
 * calls Moodle's own cache_helper for exactly those. A run longer than the time limit is killed.
 * Exit code 0 is success; anything else fails with the end of the command's error output.
 * Plain ProcessBuilder: camel-exec is not available from this build's Maven mirror, and the
 * Moodle layer stays free of Camel.
 */
public final class CommandInvalidation implements InvalidationStrategy {
    private static final int TAIL_CHARS = 600;

    private final List<String> command;
    private final Duration timeout;

    public CommandInvalidation(String commandLine, Duration timeout) {
        this.command = split(commandLine);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("moodle.cache.invalidation=command needs moodle.cache.command, e.g. "
                    + "php /opt/moodle-sync/contrib/moodle/invalidate.php --moodle=/var/www/moodle");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("moodle.cache.command-timeout must be a number of seconds above 0");
        }
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "command";
    }

    public List<String> command() {
        return command;
    }

    @Override
    public String invalidate(CacheInvalidations.Snapshot what) throws CacheInvalidationException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("moodle-sync-cache-", ".out");
            err = Files.createTempFile("moodle-sync-cache-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new CacheInvalidationException("cannot run " + command.get(0) + ": " + e.getMessage());
            }
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(what.toJson().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command may exit without reading its input: its exit code tells what happened
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CacheInvalidationException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s (moodle.cache.command-timeout) and was stopped" + tail(err));
            }
            if (p.exitValue() != 0) {
                throw new CacheInvalidationException(String.join(" ", command) + " failed with exit code " + p.exitValue() + tail(err));
            }
            String said = tail(out);
            return "ran " + String.join(" ", command) + said;
        } catch (IOException e) {
            throw new CacheInvalidationException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheInvalidationException("interrupted while " + String.join(" ", command) + " was running", e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        text = text.length() > TAIL_CHARS ? "…" + text.substring(text.length() - TAIL_CHARS) : text;
        return ": " + text.replaceAll("\\s*\\R\\s*", " | ");
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left in the temp folder holds nothing secret
            }
        }
    }

    /** Splits a command line on blanks; '...' and "..." keep blanks inside one argument. No shell is involved. */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        if (line == null) {
            return args;
        }
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (char ch : line.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    current.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inArg = true;
            } else if (Character.isWhitespace(ch)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(ch);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("moodle.cache.command has an unclosed " + quote + " quote");
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
