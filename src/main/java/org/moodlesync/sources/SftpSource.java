package org.moodlesync.sources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.quartz.CronExpression;

/**
 * One SFTP source as configured by its {@code sources.<name>.*} keys, checked: a source that
 * cannot work is refused at start with a message naming the key to fix, not at its first poll.
 *
 * @param password       null when the source logs in with a key
 * @param privateKey     null when the source logs in with a password
 * @param archiveFolder  null when remote files are deleted after download
 * @param knownHosts     the known_hosts file checked when {@code verifyHostKeys}
 */
public record SftpSource(String name, String host, int port, String user, String password, Path privateKey,
                         String passphrase, String folder, String include, String cron, String archiveFolder,
                         Path knownHosts, boolean verifyHostKeys) {

    static final String DEFAULT_INCLUDE = ".*\\.(csv|zip)";
    static final String DEFAULT_CRON = "0 0/5 * * * ?";
    static final String DEFAULT_ARCHIVE_FOLDER = "archive";
    static final String DEFAULT_KNOWN_HOSTS = "config/known_hosts";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** Reads and checks the source {@code name}; throws IllegalArgumentException saying what is wrong. */
    public static SftpSource read(SyncConfig config, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(ConfigKeys.SOURCES + ": \"" + name
                    + "\" is not a usable source name (lower-case letters, digits and dashes, e.g. hr or student-records)");
        }
        String prefix = "sftp source " + name + ": ";
        String host = value(config, name, "host");
        if (host == null) {
            throw new IllegalArgumentException(prefix + key(name, "host") + " is missing (the SFTP server's host name)");
        }
        int port = config.integer(key(name, "port"), 22);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(prefix + key(name, "port") + " must be between 1 and 65535, not " + port);
        }
        String user = value(config, name, "user");
        if (user == null) {
            throw new IllegalArgumentException(prefix + key(name, "user") + " is missing (the account to log in with)");
        }
        String password = value(config, name, "password");
        String keyFile = value(config, name, "private-key-file");
        if ((password == null) == (keyFile == null)) {
            throw new IllegalArgumentException(prefix + "set exactly one of " + key(name, "password") + " and "
                    + key(name, "private-key-file") + (password == null ? " (neither is set)" : " (both are set)"));
        }
        Path privateKey = null;
        if (keyFile != null) {
            privateKey = config.home().resolve(keyFile).normalize().toAbsolutePath();
            if (!Files.isRegularFile(privateKey) || !Files.isReadable(privateKey)) {
                throw new IllegalArgumentException(prefix + "the private key file " + privateKey + " (" + key(name, "private-key-file")
                        + ") does not exist or cannot be read");
            }
        }
        String passphrase = value(config, name, "private-key-passphrase");
        if (passphrase != null && privateKey == null) {
            throw new IllegalArgumentException(prefix + key(name, "private-key-passphrase") + " is set but there is no "
                    + key(name, "private-key-file"));
        }
        String folder = config.get(key(name, "folder"), "");
        String include = config.get(key(name, "include"), "");
        include = include.isEmpty() ? DEFAULT_INCLUDE : include;
        try {
            Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(prefix + key(name, "include") + " is not a valid regular expression: " + e.getDescription());
        }
        String cron = config.get(key(name, "cron"), "");
        cron = cron.isEmpty() ? DEFAULT_CRON : cron;
        if (!CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException(prefix + key(name, "cron") + " \"" + cron
                    + "\" is not a quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. 0 0/5 * * * ?)");
        }
        String after = config.get(key(name, "after"), "archive").toLowerCase(Locale.ROOT);
        String archiveFolder = switch (after) {
            case "archive", "" -> config.get(key(name, "archive-folder"), "").isEmpty() ? DEFAULT_ARCHIVE_FOLDER
                    : config.get(key(name, "archive-folder"));
            case "delete" -> null;
            default -> throw new IllegalArgumentException(prefix + key(name, "after") + " must be archive or delete, not \"" + after + "\"");
        };
        boolean verify = config.flag(key(name, "verify-host-keys"), true);
        Path knownHosts = config.home().resolve(config.get(key(name, "known-hosts"), "").isEmpty() ? DEFAULT_KNOWN_HOSTS
                : config.get(key(name, "known-hosts"))).normalize().toAbsolutePath();
        if (verify && !Files.isReadable(knownHosts)) {
            throw new IllegalArgumentException(prefix + "the known_hosts file " + knownHosts + " (" + key(name, "known-hosts")
                    + ") does not exist or cannot be read; host keys are checked against it. Create it with ssh-keyscan -p " + port + " "
                    + host + " after checking the fingerprint with the server's administrator (see docs/sources.md)");
        }
        return new SftpSource(name, host, port, user, password, privateKey, passphrase, folder, include, cron, archiveFolder,
                knownHosts, verify);
    }

    /** host:port, as the messages name the server. */
    public String server() {
        return host + ":" + port;
    }

    public String routeId() {
        return "source-" + name;
    }

    private static String value(SyncConfig config, String name, String sourceKey) {
        String v = config.get(key(name, sourceKey), "");
        return v.isEmpty() ? null : v;
    }

    private static String key(String name, String sourceKey) {
        return ConfigKeys.source(name, sourceKey);
    }

    /** Never prints the secrets (records print every component otherwise). */
    @Override
    public String toString() {
        return "sftp source " + name + " (" + user + "@" + server() + "/" + folder + ")";
    }
}
