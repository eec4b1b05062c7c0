package org.moodlesync.intake;

import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * The claims of the files that instances sharing an inbox are processing, in moodle-sync's own
 * table of the Moodle database ({@value #TABLE}, never a Moodle table). The intake's
 * {@code idempotent} read lock claims a file before moving it to {@code .inprogress}; the claim
 * is dropped once the file is archived. The SFTP sources record here each remote file they
 * delivered to the inbox, so that no other instance fetches it again.
 *
 * <p>Camel's JdbcOrphanLockAwareIdempotentRepository checks, then inserts: two instances can
 * both see a file free and both take it. Here a claim is one PostgreSQL statement, so exactly
 * one instance wins. Every claim names its owner (this repository's {@link #owner()}): only the
 * owner refreshes it (every {@code keepAliveMillis}) or releases it, so the release of an instance
 * that lost the race, or that gave up on a file still being written, never frees the winner's
 * claim. A claim not refreshed for {@code maxAgeMillis} belongs to an instance that died, and
 * another instance may take it over.
 *
 * <p>The table is created (or widened, for tables made by earlier versions) at start under an
 * advisory lock, so instances starting together on a new database do not race to create it.
 */
public final class FileClaims extends JdbcMessageIdRepository {
    public static final String TABLE = "moodlesync_file_claims";
    /**
     * Keys of the SFTP sources' fetched files (routes/sources.yaml): records that a remote file
     * was delivered, written once and never refreshed, unlike the claims of files in progress.
     */
    static final String SOURCE_RECORD_PREFIX = "source-";

    /** The width of messageId: a key is a file name (up to 255 bytes on common file systems), its size and its time. */
    static final int KEY_WIDTH = 2000;
    /** The advisory lock under which instances create or widen the table (any fixed number; "msyn" in ASCII). */
    private static final long TABLE_LOCK = 0x6d73796eL;

    private final long maxAgeMillis;
    private final long keepAliveMillis;
    private final String owner;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService keepAlive;
    private java.util.function.BiConsumer<String, String> onClaimFailure = (file, reason) -> { };

    public FileClaims(DataSource dataSource, String processorName, long maxAgeMillis, long keepAliveMillis) {
        super(dataSource, processorName);
        if (maxAgeMillis <= keepAliveMillis) {
            throw new IllegalArgumentException("sync.intake.claim-max-age must be longer than sync.intake.claim-keep-alive");
        }
        this.maxAgeMillis = maxAgeMillis;
        this.keepAliveMillis = keepAliveMillis;
        this.owner = org.moodlesync.config.ThisProcess.id() + "/" + java.util.UUID.randomUUID();
        setTableName(TABLE);
        // the table is made by ensureTable(): Camel's own creation would race, and makes messageId 100 characters wide
        setCreateTableIfNotExists(false);
    }

    /** What else says that a file could not be claimed, besides the log (the failed folder's error file). */
    public void onClaimFailure(java.util.function.BiConsumer<String, String> reporter) {
        this.onClaimFailure = reporter;
    }

    /** Who holds the claims this repository takes: the process, its host and a random part (one per start). */
    public String owner() {
        return owner;
    }

    /** Claims the file; false when a live instance holds it (or, for a remote file, when it was delivered already). */
    @Override
    public boolean add(String key) {
        long now = System.currentTimeMillis();
        try {
            if (key.startsWith(SOURCE_RECORD_PREFIX)) {
                // a delivery record never expires by age: the remote file is not fetched twice
                return jdbcTemplate.update("INSERT INTO " + TABLE + " (processorName, messageId, createdAt, owner) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (processorName, messageId) DO NOTHING", processorName, key, new Timestamp(now), owner) == 1;
            }
            int rows = jdbcTemplate.update("INSERT INTO " + TABLE + " (processorName, messageId, createdAt, owner) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (processorName, messageId) DO UPDATE SET createdAt = EXCLUDED.createdAt, owner = EXCLUDED.owner"
                            + " WHERE " + TABLE + ".createdAt < ?",
                    processorName, key, new Timestamp(now), owner, new Timestamp(now - maxAgeMillis));
            if (rows == 1) {
                held.add(key);
                reportedFailures.remove(key);
            }
            return rows == 1;
        } catch (RuntimeException e) {
            // the file stays where it is and is tried again at the next poll; say why once, not at every poll
            if (reportedFailures.add(key)) {
                String file = key.contains("|") ? key.substring(0, key.indexOf('|')) : key;
                log.error("cannot claim {} in {}: {}; it stays in the inbox and is tried again", file, TABLE, e.getMessage());
                onClaimFailure.accept(file, e.getMessage());
            }
            return false;
        }
    }

    /** Whether a live instance holds the file's claim. */
    @Override
    public boolean contains(String key) {
        Integer live = jdbcTemplate.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE processorName = ? AND messageId = ? AND createdAt >= ?",
                Integer.class, processorName, key, new Timestamp(System.currentTimeMillis() - maxAgeMillis));
        return live != null && live > 0;
    }

    /**
     * Whether a live instance holds a claim on a file of that name, whatever its size and time: a
     * file in progress whose writer is still appending to it changes its key, not its owner.
     */
    public boolean claimedByName(String name) {
        String like = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "|%";
        Integer live = jdbcTemplate.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE processorName = ? AND messageId LIKE ?"
                + " AND createdAt >= ?", Integer.class, processorName, like, new Timestamp(System.currentTimeMillis() - maxAgeMillis));
        return live != null && live > 0;
    }

    /** Releases the claim, only if this instance holds it: a claim taken over by another instance stays theirs. */
    @Override
    public boolean remove(String key) {
        held.remove(key);
        return jdbcTemplate.update("DELETE FROM " + TABLE + " WHERE processorName = ? AND messageId = ? AND owner = ?", processorName, key, owner) == 1;
    }

    /**
     * Creates the claims table, or brings one made by an earlier version up to date (messageId
     * {@value #KEY_WIDTH} characters wide, an owner column), under an advisory lock held for the
     * transaction, so that instances starting together do not race.
     */
    void ensureTable() {
        transactionTemplate.executeWithoutResult(status -> {
            jdbcTemplate.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, TABLE_LOCK);
            // each step only when needed: a table made beforehand by its owner needs no right beyond using it
            Boolean exists = jdbcTemplate.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, TABLE);
            if (!Boolean.TRUE.equals(exists)) {
                jdbcTemplate.execute(CREATE_TABLE);
                return;
            }
            Integer width = jdbcTemplate.queryForObject("SELECT max(character_maximum_length) FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'messageid'", Integer.class, TABLE);
            if (width != null && width < KEY_WIDTH) {
                jdbcTemplate.execute("ALTER TABLE " + TABLE + " ALTER COLUMN messageId TYPE VARCHAR(" + KEY_WIDTH + ")");
                log.info("{}: messageId widened from {} to {} characters, for long file names", TABLE, width, KEY_WIDTH);
            }
            Integer owners = jdbcTemplate.queryForObject("SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'owner'", Integer.class, TABLE);
            if (owners == null || owners == 0) {
                jdbcTemplate.execute("ALTER TABLE " + TABLE + " ADD COLUMN owner VARCHAR(255)");
            }
        });
    }

    /** The table as moodle-sync creates it (docs/deployment.md shows the same statement). */
    public static final String CREATE_TABLE = "CREATE TABLE " + TABLE + " (processorName VARCHAR(255) NOT NULL, messageId VARCHAR(" + KEY_WIDTH
            + ") NOT NULL, createdAt TIMESTAMP NOT NULL, owner VARCHAR(255), PRIMARY KEY (processorName, messageId))";

    /** How long the record of a delivered remote file is kept: long after the remote file was archived or deleted. */
    static final int SOURCE_RECORD_DAYS = 30;

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ensureTable();
        int forgotten = jdbcTemplate.update("DELETE FROM " + TABLE + " WHERE processorName = ? AND messageId LIKE ? AND createdAt < ?",
                processorName, SOURCE_RECORD_PREFIX + "%", new Timestamp(System.currentTimeMillis() - SOURCE_RECORD_DAYS * 86_400_000L));
        if (forgotten > 0) {
            log.info("{} records of remote files delivered more than {} days ago forgotten", forgotten, SOURCE_RECORD_DAYS);
        }
        keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "moodle-sync-claims");
            t.setDaemon(true);
            return t;
        });
        keepAlive.scheduleWithFixedDelay(this::refresh, keepAliveMillis, keepAliveMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        super.doStop();
    }

    private void refresh() {
        List<String> keys = List.copyOf(held);
        if (keys.isEmpty()) {
            return;
        }
        try {
            jdbcTemplate.update("UPDATE " + TABLE + " SET createdAt = ? WHERE processorName = ? AND owner = ? AND messageId = ANY(?)",
                    ps -> {
                        ps.setTimestamp(1, new Timestamp(System.currentTimeMillis()));
                        ps.setString(2, processorName);
                        ps.setString(3, owner);
                        ps.setArray(4, ps.getConnection().createArrayOf("varchar", keys.toArray()));
                    });
        } catch (RuntimeException e) {
            // the next refresh tries again; only a refresh missing for maxAge lets another instance in
            log.warn("cannot refresh the claims of the files being processed: {}", e.getMessage());
        }
    }

    /** The key of an inbox file: its name, size and modification time (kept by the move to .inprogress). */
    public static String keyOf(String name, long size, long modifiedMillis) {
        return name + "|" + size + "|" + modifiedMillis;
    }
}
