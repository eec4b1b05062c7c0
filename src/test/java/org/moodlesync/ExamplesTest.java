package org.moodlesync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** The files of examples/ do what examples/courses/README.md says, one after the other. */
class ExamplesTest {
    @TempDir
    Path tmp;

    @Test
    void theCourseExamplesRunInTheirDocumentedOrder() throws Exception {
        Path examples = SyncFixture.projectHome().resolve("examples");
        try (SyncFixture sync = new SyncFixture(tmp)) {
            sync.execute("UPDATE mdl_config SET value = value || ',meta' WHERE name = 'enrol_plugins_enabled'");
            sync.app().process("users", examples.resolve("userimport.csv"), false);
            RunSummary courses = sync.app().process("courses", examples.resolve("uploadcourses.csv"), false);
            assertEquals(3, courses.count(OutcomeType.CREATED), courses.oneLine());
            RunSummary more = sync.app().process("courses", examples.resolve("courses/uploadcourses_with_teachers.csv"), false);
            assertEquals(1, more.count(OutcomeType.CREATED), more.oneLine());
            assertEquals(0, more.failed());
            RunSummary meta = sync.app().process("courses-meta", examples.resolve("courses/metacourses.csv"), false);
            assertEquals(1, meta.count(OutcomeType.CREATED), meta.oneLine());
            RunSummary reset = sync.app().process("courses-reset", examples.resolve("courses/resetcourses.csv"), false);
            assertEquals(0, reset.failed(), reset.oneLine());
            RunSummary delete = sync.app().process("courses-delete", examples.resolve("courses/deletecourses.csv"), false);
            assertEquals(1, delete.count(OutcomeType.DELETED), delete.oneLine());
            sync.assertMoodleConsistent();
        }
    }
}
