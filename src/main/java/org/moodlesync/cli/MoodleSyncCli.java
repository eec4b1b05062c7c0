package org.moodlesync.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.ConfigLoader;
import org.moodlesync.config.SyncConfig;

/**
 * The moodle-sync command: demo, import, run, check, bench. Errors an operator can act on are
 * printed as one line on stderr (no stack trace) with exit code 2.
 */
public final class MoodleSyncCli {
    static final String USAGE = """
            usage: moodle-sync <command> [--config FILE]
              demo                          process examples/ into an embedded Moodle database and show the reports
              import <feed> <file> [--dry-run]
                                            process one file with a feed, then exit
                                            (exit 0: all lines applied or unchanged, 1: some failed, 2: not processed)
              run                           poll sync.inbox and process files as they arrive
              check                         check the Moodle database moodle.db.url points at
              clean-categories [--under <path|idnumber>] [--dry-run]
                                            remove the categories that hold no course
              bench users [--rows N] [--password-rows M] | bench courses | enrolments | pictures [--rows N]
                                            measure a feed on a fresh embedded database
            feeds: users, users-delete, users-suspend, courses, courses-delete, courses-reset, courses-check, courses-meta,
                   enrolments, groups, group-members, cohorts, cohort-courses, pictures
            configuration: config/application.properties, --config FILE, environment variables (MOODLE_DB_URL),
                           -Dkey=value before -jar""";

    private MoodleSyncCli() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            CommandLine cl = CommandLine.parse(argv);
            if (cl.command().equals("help") || cl.flag("help")) {
                out.println(USAGE);
                return ExitCodes.OK;
            }
            SyncConfig config = ConfigLoader.load(home(), cl.configFile(), System.getenv(), System.getProperties());
            return switch (cl.command()) {
                case "import" -> new ImportCommand(config, out, err).run(cl);
                case "run" -> new RunCommand(config, out).run();
                case "check" -> new CheckCommand(config, out, err).run();
                case "demo" -> new DemoCommand(config, out, err).run();
                case "bench" -> new BenchCommand(config, out, err).run(cl);
                case "clean-categories" -> new CleanCategoriesCommand(config, out, err).run(cl);
                default -> {
                    err.println("unknown command \"" + cl.command() + "\"");
                    err.println(USAGE);
                    yield ExitCodes.NOT_PROCESSED;
                }
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("moodle-sync: " + e.getMessage());
            return ExitCodes.NOT_PROCESSED;
        } catch (Exception e) {
            err.println("moodle-sync: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCodes.NOT_PROCESSED;
        }
    }

    /**
     * The moodle-sync home, holding config/, routes/ and examples/: -Dmoodlesync.home, else the
     * folder above target/ or lib/ where the jar lies, else the current folder.
     */
    static Path home() {
        String prop = System.getProperty(ConfigKeys.HOME);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        try {
            Path jar = Path.of(MoodleSyncCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("config/application.properties"))) {
                    return p;
                }
            }
        } catch (Exception ignored) {
            // fall back to the working folder
        }
        return Path.of("").toAbsolutePath();
    }
}
