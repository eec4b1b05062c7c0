package org.moodlesync.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.apache.camel.main.Main;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.feed.CohortsFeed;
import org.moodlesync.feed.CohortsFeedSettings;
import org.moodlesync.feed.CoursesFeed;
import org.moodlesync.feed.EnrolmentsFeed;
import org.moodlesync.feed.EnrolmentsFeedSettings;
import org.moodlesync.feed.FeedCatalog;
import org.moodlesync.feed.GroupsFeed;
import org.moodlesync.feed.GroupsFeedSettings;
import org.moodlesync.feed.PicturesFeed;
import org.moodlesync.feed.UsersFeed;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.pipeline.PipelineSettings;
import org.moodlesync.pipeline.RunListener;

/**
 * The feed processors, made from their configuration keys, and the catalog that names each
 * feed's definition and processor. The YAML routes call them by their bean names (usersFeed...).
 */
record FeedProcessors(FeedCatalog catalog, UsersFeed users, CoursesFeed courses, EnrolmentsFeed enrolments, GroupsFeed groups,
                      CohortsFeed cohorts, PicturesFeed pictures) {

    static FeedProcessors create(SyncConfig config, MoodleDatabase db, Clock clock, PipelineSettings pipeline, RunListener completion)
            throws java.io.IOException {
        FeedCatalog catalog = new FeedCatalog();
        EnrolmentsFeed enrolments = new EnrolmentsFeed(db, new EnrolmentsFeedSettings(config.get(ConfigKeys.ENROLS_COURSE_IDENTIFIER, "idnumber"),
                config.get(ConfigKeys.ENROLS_USER_IDENTIFIER, "username")), clock);
        CohortsFeed cohorts = new CohortsFeed(db, new CohortsFeedSettings(config.get(ConfigKeys.COHORTS_IDENTIFIER, "idnumber"),
                config.get(ConfigKeys.COHORTS_USER_IDENTIFIER, "username"), config.flag(ConfigKeys.COHORTS_AUTOCREATE, true),
                config.get(ConfigKeys.COHORTS_COURSE_IDENTIFIER, "idnumber")), clock);
        UsersFeed users = new UsersFeed(db, MoodleSyncApp.usersSettings(config), clock, enrolments, cohorts,
                config.get(ConfigKeys.COURSES_IDENTITY, "shortname").toLowerCase(Locale.ROOT).trim());
        catalog.register(FeedCatalog.usersDefinition(), users);
        catalog.register(catalog.definition("users-delete").orElseThrow(), users);
        catalog.register(catalog.definition("users-suspend").orElseThrow(), users);
        CoursesFeed courses = new CoursesFeed(db, MoodleSyncApp.coursesSettings(config), clock);
        catalog.register(FeedCatalog.coursesDefinition(), courses);
        catalog.register(FeedCatalog.coursesCheckDefinition(), courses);
        catalog.register(FeedCatalog.coursesDeleteDefinition(), courses);
        catalog.register(FeedCatalog.coursesResetDefinition(), courses);
        catalog.register(FeedCatalog.coursesMetaDefinition(), courses);
        catalog.register(FeedCatalog.enrolmentsDefinition(), enrolments);
        GroupsFeed groups = new GroupsFeed(db, new GroupsFeedSettings(config.get(ConfigKeys.GROUPS_COURSE_IDENTIFIER, "idnumber"),
                config.get(ConfigKeys.GROUPS_GROUP_IDENTIFIER, "idnumber"), config.get(ConfigKeys.GROUPS_GROUPING_IDENTIFIER, "idnumber"),
                config.get(ConfigKeys.GROUPS_USER_IDENTIFIER, "username"), config.get(ConfigKeys.GROUPS_PURGE_EMPTY, "none")), clock);
        catalog.register(FeedCatalog.groupsDefinition(), groups);
        catalog.register(FeedCatalog.groupMembersDefinition(), groups);
        catalog.register(FeedCatalog.cohortsDefinition(), cohorts);
        String dataroot = config.get(ConfigKeys.DATAROOT, "");
        PicturesFeed pictures = new PicturesFeed(db, new PicturesFeed.Settings(config.get(ConfigKeys.PICTURES_USER_IDENTIFIER, "username").toLowerCase(Locale.ROOT).trim(),
                config.flag(ConfigKeys.PICTURES_OVERWRITE, true), config.integer(ConfigKeys.PICTURES_MAX_ENTRIES, 10_000),
                Long.parseLong(config.get(ConfigKeys.PICTURES_MAX_BYTES, "536870912")),
                Long.parseLong(config.get(ConfigKeys.PICTURES_MAX_ENTRY_BYTES, "20971520")),
                Long.parseLong(config.get(ConfigKeys.PICTURES_MAX_PIXELS, "40000000")), dataroot.isBlank() ? null : Path.of(dataroot).toAbsolutePath(),
                pipeline.reports(), pipeline.dryRun()), clock, completion);
        catalog.register(FeedCatalog.picturesDefinition(), pictures);
        catalog.register(FeedCatalog.cohortCoursesDefinition(), cohorts);
        return new FeedProcessors(catalog, users, courses, enrolments, groups, cohorts, pictures);
    }

    void bindInto(Main main) {
        main.bind("usersFeed", users);
        main.bind("coursesFeed", courses);
        main.bind("enrolmentsFeed", enrolments);
        main.bind("groupsFeed", groups);
        main.bind("cohortsFeed", cohorts);
        main.bind("picturesFeed", pictures);
    }
}
