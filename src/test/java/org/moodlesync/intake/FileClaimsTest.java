package org.moodlesync.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.moodlesync.support.TestDatabases;

/** The claims table on a real PostgreSQL: one winner per file, expiry of dead claims, lasting delivery records. */
class FileClaimsTest {
    HikariDataSource ds;
    FileClaims one;
    FileClaims other;

    @BeforeEach
    void start() throws Exception {
        ds = freshDataSource();
        one = new FileClaims(ds, "moodle-sync", 1_500, 500);
        other = new FileClaims(ds, "moodle-sync", 1_500, 500);
        one.start();
        other.start();
    }

    /** A pool on a new database of its own. */
    private static HikariDataSource freshDataSource() throws Exception {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabases.freshMoodle());
        pool.setUsername(TestDatabases.user());
        pool.setPassword(TestDatabases.password());
        pool.setMaximumPoolSize(8);
        return pool;
    }

    @AfterEach
    void stop() {
        one.stop();
        other.stop();
        ds.close();
    }

    @Test
    void exactlyOneInstanceWinsAClaimAndAHeldClaimStaysAlive() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                FileClaims claims = i % 2 == 0 ? one : other;
                tries.add(pool.submit((Callable<Boolean>) () -> claims.add("userimport.csv|10|1")));
            }
            int won = 0;
            for (Future<Boolean> t : tries) {
                won += t.get() ? 1 : 0;
            }
            assertEquals(1, won, "one claim among eight simultaneous tries");
        } finally {
            pool.shutdownNow();
        }
        Thread.sleep(2_500); // longer than the max age: the holder's heartbeat keeps it
        assertTrue(other.contains("userimport.csv|10|1"));
        assertFalse(other.add("userimport.csv|10|1"));
    }

    @Test
    void aClaimNobodyRefreshesExpiresAndARemovedOneIsFree() throws Exception {
        assertTrue(one.add("enrols.csv|5|1"));
        one.stop(); // dies: no more heartbeats
        Thread.sleep(2_000);
        assertFalse(other.contains("enrols.csv|5|1"), "an expired claim is an orphan");
        assertTrue(other.add("enrols.csv|5|1"), "another instance takes the orphan over");
        assertTrue(other.remove("enrols.csv|5|1"));
        assertTrue(other.add("enrols.csv|5|1"));
    }

    @Test
    void aDeliveryRecordOfARemoteFileDoesNotExpire() throws Exception {
        assertTrue(one.add("source-hr|userimport.csv|10|1"));
        Thread.sleep(2_000);
        assertFalse(other.add("source-hr|userimport.csv|10|1"), "a delivered remote file is not fetched again after the claims' max age");
    }

    @Test
    void theLosersReleaseLeavesTheWinnersClaim() {
        assertTrue(one.add("userimport.csv|10|1"));
        assertFalse(other.add("userimport.csv|10|1"), "the other instance loses the race");
        assertFalse(other.remove("userimport.csv|10|1"), "Camel releases the lock it did not get: nothing is freed");
        assertTrue(other.contains("userimport.csv|10|1"), "the winner still holds its claim");
        assertFalse(other.add("userimport.csv|10|1"));
        assertTrue(one.remove("userimport.csv|10|1"), "the owner releases it");
        assertFalse(other.contains("userimport.csv|10|1"));
    }

    @Test
    void aFileStillGrowingInProgressStaysClaimedByItsName() {
        assertTrue(one.add(FileClaims.keyOf("userimport_2026.csv", 100, 1)));
        assertTrue(other.claimedByName("userimport_2026.csv"), "its size and time changed since: still claimed");
        assertFalse(other.claimedByName("userimport_2026"), "another name");
        assertFalse(other.claimedByName("userimport%"), "names are matched as they are, not as patterns");
    }

    @Test
    void aClaimThatCannotBeWrittenIsSaidOnceAndTheFileWaits() throws Exception {
        List<String> said = new ArrayList<>();
        one.onClaimFailure((file, reason) -> said.add(file + ": " + reason));
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + FileClaims.TABLE + " RENAME TO moodlesync_file_claims_away");
        }
        assertFalse(one.add("userimport.csv|10|1"), "not claimed: the file stays in the inbox");
        assertFalse(one.add("userimport.csv|10|1"));
        assertEquals(1, said.size(), "said once, not at every poll: " + said);
        assertTrue(said.get(0).startsWith("userimport.csv: "), said.get(0));
    }

    @Test
    void anyFileNameTheFileSystemAllowsCanBeClaimed() {
        String longName = "userimport_" + "a".repeat(105) + ".csv";
        String nonAscii = "userimport_" + "é".repeat(120) + "_ñ.csv"; // 255 bytes in UTF-8, the ext4 limit
        for (String name : java.util.List.of(longName, nonAscii)) {
            String key = FileClaims.keyOf(name, 123_456_789L, 1_796_000_000_000L);
            assertTrue(one.add(key), name.length() + " characters");
            assertTrue(other.contains(key));
            assertTrue(one.remove(key));
        }
    }

    @Test
    void instancesStartingTogetherOnANewDatabaseCreateTheTableOnce() throws Exception {
        try (HikariDataSource fresh = freshDataSource()) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<FileClaims> started = new ArrayList<>();
                List<Future<?>> starts = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    FileClaims claims = new FileClaims(fresh, "moodle-sync", 1_500, 500);
                    started.add(claims);
                    starts.add(pool.submit(claims::start));
                }
                for (Future<?> f : starts) {
                    f.get(); // none fails
                }
                assertTrue(started.get(0).add("a.csv|1|1"));
                started.forEach(FileClaims::stop);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aTableOfAnEarlierVersionIsWidenedAndGetsItsOwnerColumn() throws Exception {
        try (HikariDataSource old = freshDataSource()) {
            try (java.sql.Connection c = old.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE TABLE moodlesync_file_claims (processorName VARCHAR(255), messageId VARCHAR(100), createdAt TIMESTAMP,"
                        + " PRIMARY KEY (processorName, messageId))");
            }
            FileClaims claims = new FileClaims(old, "moodle-sync", 1_500, 500);
            claims.start();
            try {
                assertTrue(claims.add(FileClaims.keyOf("userimport_" + "b".repeat(150) + ".csv", 1, 1)));
            } finally {
                claims.stop();
            }
        }
    }
}
