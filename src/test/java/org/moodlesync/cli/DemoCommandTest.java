package org.moodlesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main job: the examples through the real routes into an embedded Moodle database. */
class DemoCommandTest {
    @Test
    void demoProcessesEveryExample() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MoodleSyncCli.run(new String[] {"demo"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(summaryOf(printed, "users userimport.csv").contains("created=8"), printed);
        assertTrue(summaryOf(printed, "users userimport.csv").contains("failed=4"), "the example's deliberately wrong lines: " + printed);
        assertTrue(summaryOf(printed, "users-suspend usersuspend.csv").contains("suspended=1"), printed);
        assertTrue(summaryOf(printed, "users hr_staff_export.csv").contains("created=3"), "the custom HR feed: " + printed);
        assertTrue(summaryOf(printed, "users-delete userdelete.csv").contains("deleted=1"), printed);
        assertTrue(printed.contains("tryback:"), printed);
        assertTrue(summaryOf(printed, "courses uploadcourses.csv").contains("created=3"), printed);
        assertTrue(summaryOf(printed, "courses uploadcourses.csv").contains("failed=1"), "the course that ends before it starts: " + printed);
        assertTrue(summaryOf(printed, "courses-check courses.csv").contains("failed=1"), "the missing course: " + printed);
        assertTrue(printed.contains("and 3 courses in 4 categories"), printed);
        assertTrue(printed.contains("Moodle now holds 9 active, 1 suspended and 1 deleted accounts"), printed);
    }

    private static String summaryOf(String printed, String feedAndFile) {
        return printed.lines().filter(l -> l.startsWith(feedAndFile + ":")).findFirst().orElse("no summary line for " + feedAndFile);
    }
}
