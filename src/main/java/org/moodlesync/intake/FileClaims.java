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
 * one instance wins. A held claim is refreshed every {@code keepAliveMillis}; one not refreshed
 * for {@code maxAgeMillis} belongs to an instance that died, and another instance may take it.
 */
public final class FileClaims extends JdbcMessageIdRepository {
    public static final String TABLE = "moodlesync_file_claims";
    /**
     * Keys of the SFTP sources' fetched files (routes/sources.yaml): records that a remote file
     * was delivered, written once and never refreshed, unlike the claims of files in progress.
     */
    static final String SOURCE_RECORD_PREFIX = "source-";

    private final long maxAgeMillis;
    private final long keepAliveMillis;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService keepAlive;

    public FileClaims(DataSource dataSource, String processorName, long maxAgeMillis, long keepAliveMillis) {
        super(dataSource, processorName);
        if (maxAgeMillis <= keepAliveMillis) {
            throw new IllegalArgumentException("sync.intake.claim-max-age must be longer than sync.intake.claim-keep-alive");
        }
        this.maxAgeMillis = maxAgeMillis;
        this.keepAliveMillis = keepAliveMillis;
        setTableName(TABLE);
        // file names can be long: the default messageId column (100 characters) is not enough
        setCreateString("CREATE TABLE " + TABLE + " (processorName VARCHAR(255) NOT NULL, messageId VARCHAR(2000) NOT NULL,"
                + " createdAt TIMESTAMP NOT NULL, PRIMARY KEY (processorName, messageId))");
    }

    /** Claims the file; false when a live instance holds it (or, for a remote file, when it was delivered already). */
    @Override
    public boolean add(String key) {
        long now = System.currentTimeMillis();
        if (key.startsWith(SOURCE_RECORD_PREFIX)) {
            // a delivery record never expires by age: the remote file is not fetched twice
            return jdbcTemplate.update("INSERT INTO " + TABLE + " (processorName, messageId, createdAt) VALUES (?, ?, ?)"
                    + " ON CONFLICT (processorName, messageId) DO NOTHING", processorName, key, new Timestamp(now)) == 1;
        }
        int rows = jdbcTemplate.update("INSERT INTO " + TABLE + " (processorName, messageId, createdAt) VALUES (?, ?, ?)"
                        + " ON CONFLICT (processorName, messageId) DO UPDATE SET createdAt = EXCLUDED.createdAt WHERE " + TABLE + ".createdAt < ?",
                processorName, key, new Timestamp(now), new Timestamp(now - maxAgeMillis));
        if (rows == 1) {
            held.add(key);
        }
        return rows == 1;
    }

    /** Whether a live instance holds the file's claim. */
    @Override
    public boolean contains(String key) {
        Integer live = jdbcTemplate.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE processorName = ? AND messageId = ? AND createdAt >= ?",
                Integer.class, processorName, key, new Timestamp(System.currentTimeMillis() - maxAgeMillis));
        return live != null && live > 0;
    }

    @Override
    public boolean remove(String key) {
        held.remove(key);
        return super.remove(key);
    }

    /** How long the record of a delivered remote file is kept: long after the remote file was archived or deleted. */
    static final int SOURCE_RECORD_DAYS = 30;

    @Override
    protected void doStart() throws Exception {
        super.doStart();
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
            jdbcTemplate.update("UPDATE " + TABLE + " SET createdAt = ? WHERE processorName = ? AND messageId = ANY(?)",
                    ps -> {
                        ps.setTimestamp(1, new Timestamp(System.currentTimeMillis()));
                        ps.setString(2, processorName);
                        ps.setArray(3, ps.getConnection().createArrayOf("varchar", keys.toArray()));
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
