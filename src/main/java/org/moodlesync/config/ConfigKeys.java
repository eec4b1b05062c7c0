package org.moodlesync.config;

import java.util.List;

/** Every configuration key the Java code reads, in one place. Documented in config/application.properties. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final String HOME = "moodlesync.home";

    public static final String DB_URL = "moodle.db.url";
    public static final String DB_USER = "moodle.db.user";
    public static final String DB_PASSWORD = "moodle.db.password";
    public static final String DB_PREFIX = "moodle.db.prefix";
    public static final String DB_POOL_SIZE = "moodle.db.pool-size";
    public static final String DATAROOT = "moodle.dataroot";
    public static final String CACHEDIR = "moodle.cachedir";
    public static final String CACHE_INVALIDATION = "moodle.cache.invalidation";
    public static final String CACHE_COMMAND = "moodle.cache.command";
    public static final String CACHE_COMMAND_TIMEOUT = "moodle.cache.command-timeout";

    public static final String INBOX = "sync.inbox";
    public static final String ARCHIVE = "sync.archive";
    public static final String FAILED = "sync.failed";
    public static final String REPORTS = "sync.reports";
    public static final String ROUTES = "sync.routes";
    public static final String DRY_RUN = "sync.dry-run";
    public static final String ENCODING = "sync.encoding";
    public static final String SEPARATOR = "sync.separator";
    public static final String CHUNK_SIZE = "sync.chunk-size";
    public static final String ALLOW_UNKNOWN_COLUMNS = "sync.allow-unknown-columns";
    public static final String INTAKE_ENABLED = "sync.intake.enabled";
    public static final String INTAKE_SHARED = "sync.intake.shared";
    public static final String INTAKE_CLAIM_MAX_AGE = "sync.intake.claim-max-age";
    public static final String INTAKE_CLAIM_KEEP_ALIVE = "sync.intake.claim-keep-alive";
    public static final String INTAKE_MIN_AGE = "sync.intake.min-age";
    /** Set by the application, read by routes/intake.yaml: the read lock and the master: prefix of the inbox consumer. */
    public static final String INTAKE_READ_LOCK_STRATEGY = "moodlesync.intake.read-lock";
    public static final String INTAKE_MASTER_PREFIX = "moodlesync.intake.master";
    public static final String CLUSTER = "sync.cluster";
    public static final String CLUSTER_FILE_ROOT = "sync.cluster.file-root";
    public static final String CLUSTER_KUBERNETES_PREFIX = "sync.cluster.kubernetes.";
    public static final String ON_COMPLETE = "sync.on-complete";
    public static final String HTTP_TOKEN = "sync.http.token";
    public static final String HTTP_ENABLED = "camel.server.enabled";
    public static final String BATCH_DONE_FILE = "feeds.batch.done-file";
    /** Names of the SFTP sources, comma separated; each is configured by its {@link #source} keys. */
    public static final String SOURCES = "sync.sources";

    public static final String USERS_IDENTITY = "users.identity";
    public static final String USERS_ALLOW_RENAME = "users.allow-rename";
    public static final String USERS_PROTECT_EMAILS = "users.protect-emails";
    public static final String USERS_CREATE_PASSWORDS = "users.create-passwords";
    public static final String USERS_LANGUAGES = "users.languages";

    public static final String COURSES_IDENTITY = "courses.identity";
    public static final String COURSES_CATEGORY_IDENTIFIER = "courses.category-identifier";
    public static final String COURSES_FORCE_UPDATE = "courses.force-update";
    public static final String COURSES_NEW_CATEGORIES_VISIBLE = "courses.new-categories-visible";
    public static final String COURSES_DELETE_HOLDING_CATEGORY = "courses.delete.holding-category";

    public static final String ENROLS_COURSE_IDENTIFIER = "enrols.course-identifier";
    public static final String ENROLS_USER_IDENTIFIER = "enrols.user-identifier";

    public static final String GROUPS_COURSE_IDENTIFIER = "groups.course-identifier";
    public static final String GROUPS_GROUP_IDENTIFIER = "groups.group-identifier";
    public static final String GROUPS_GROUPING_IDENTIFIER = "groups.grouping-identifier";
    public static final String GROUPS_USER_IDENTIFIER = "groups.user-identifier";
    public static final String GROUPS_PURGE_EMPTY = "groups.purge-empty";

    public static final String COHORTS_IDENTIFIER = "cohorts.identifier";
    public static final String COHORTS_USER_IDENTIFIER = "cohorts.user-identifier";
    public static final String COHORTS_AUTOCREATE = "cohorts.autocreate";
    public static final String COHORTS_COURSE_IDENTIFIER = "cohorts.course-identifier";

    public static final String PICTURES_USER_IDENTIFIER = "pictures.user-identifier";
    public static final String PICTURES_OVERWRITE = "pictures.overwrite";
    public static final String PICTURES_MAX_ENTRIES = "pictures.max-entries";
    public static final String PICTURES_MAX_BYTES = "pictures.max-bytes";
    public static final String PICTURES_MAX_ENTRY_BYTES = "pictures.max-entry-bytes";
    public static final String PICTURES_MAX_PIXELS = "pictures.max-pixels";

    /** {@code feeds.<feed>.file-pattern}: regular expression of the inbox file names of a feed. */
    public static String filePattern(String feed) {
        return "feeds." + feed + ".file-pattern";
    }

    /** {@code feeds.<feed>.cron}: the quartz cron of a feed run on a schedule. */
    public static String cron(String feed) {
        return "feeds." + feed + ".cron";
    }

    /** The keys of one SFTP source ({@code sources.<name>.<key>}), documented in config/application.properties. */
    public static final List<String> SOURCE_KEYS = List.of("host", "port", "user", "password", "private-key-file",
            "private-key-passphrase", "folder", "include", "cron", "after", "archive-folder", "known-hosts", "verify-host-keys");

    /** {@code sources.<name>.<key>}: one setting of the SFTP source {@code name}. */
    public static String source(String name, String key) {
        if (!SOURCE_KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown source key " + key);
        }
        return "sources." + name + "." + key;
    }

    /** Keys holding folders; relative values are resolved against the moodle-sync home. */
    public static final List<String> FOLDERS = List.of(INBOX, ARCHIVE, FAILED, REPORTS, ROUTES, CLUSTER_FILE_ROOT);
}
