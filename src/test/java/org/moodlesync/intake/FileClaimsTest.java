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
        ds = new HikariDataSource();
        ds.setJdbcUrl(TestDatabases.freshMoodle());
        ds.setUsername(TestDatabases.user());
        ds.setPassword(TestDatabases.password());
        one = new FileClaims(ds, "moodle-sync", 1_500, 500);
        other = new FileClaims(ds, "moodle-sync", 1_500, 500);
        one.start();
        other.start();
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
}
