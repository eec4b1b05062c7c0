package org.moodlesync.feed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every feed moodle-sync knows, with tool_sync's default file names, and the processors of
 * those that are available. Integrators' own feeds (e.g. an HR export mapped onto the users
 * feed) are added from the {@code feeds.<name>.file-pattern} keys and their YAML route.
 */
public final class FeedCatalog {
    private final Map<String, FeedDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, FeedProcessor> processors = new LinkedHashMap<>();

    public FeedCatalog() {
        for (FeedDefinition d : builtIn()) {
            definitions.put(d.name(), d);
        }
    }

    public void register(FeedDefinition definition, FeedProcessor processor) {
        definitions.put(definition.name(), definition);
        processors.put(definition.name(), processor);
    }

    public Optional<FeedDefinition> definition(String feed) {
        return Optional.ofNullable(definitions.get(feed));
    }

    public Optional<FeedProcessor> processor(String feed) {
        return Optional.ofNullable(processors.get(feed));
    }

    public Collection<FeedDefinition> all() {
        return definitions.values();
    }

    public List<String> names() {
        return new ArrayList<>(definitions.keySet());
    }

    /** Orders feeds so that what a file depends on runs first (courses before enrolments, deletes of users last). */
    public Comparator<String> dependencyOrder() {
        return Comparator.comparingInt(feed -> definitions.containsKey(feed) ? definitions.get(feed).order() : 500);
    }

    static final Set<String> USERS_OPTIONAL = Set.of("idnumber", "email", "auth", "password", "phone1", "phone2", "institution",
            "department", "address", "city", "country", "lang", "timezone", "description", "mailformat", "maildisplay", "maildigest",
            "autosubscribe", "trackforums", "suspended", "deleted", "oldusername", "middlename", "alternatename", "firstnamephonetic",
            "lastnamephonetic", "calendartype", "theme", "icq", "url", "htmleditor", "mnethostid", "cohort", "cohortid");

    public static FeedDefinition coursesDefinition() {
        return CoursesFeedDefinitions.courses();
    }

    public static FeedDefinition coursesDeleteDefinition() {
        return CoursesFeedDefinitions.delete();
    }

    public static FeedDefinition coursesResetDefinition() {
        return CoursesFeedDefinitions.reset();
    }

    public static FeedDefinition enrolmentsDefinition() {
        return EnrolmentsFeed.definition();
    }

    public static FeedDefinition groupsDefinition() {
        return GroupsFeed.groupsDefinition();
    }

    public static FeedDefinition groupMembersDefinition() {
        return GroupsFeed.membersDefinition();
    }

    public static FeedDefinition cohortsDefinition() {
        return CohortsFeed.definition();
    }

    public static FeedDefinition picturesDefinition() {
        return PicturesFeed.definition();
    }

    public static FeedDefinition cohortCoursesDefinition() {
        return CohortsFeed.bindingsDefinition();
    }

    public static FeedDefinition coursesMetaDefinition() {
        return CoursesFeedDefinitions.meta();
    }

    public static FeedDefinition coursesCheckDefinition() {
        return CoursesFeedDefinitions.check();
    }

    public static FeedDefinition usersDefinition() {
        Map<Pattern, String> deferred = new LinkedHashMap<>();
        deferred.put(Pattern.compile("wwwroot\\d*"), "MNET propagation is not supported");
        return new FeedDefinition("users", "userimport.csv", 60, Set.of("username", "firstname", "lastname"), USERS_OPTIONAL,
                List.of(Pattern.compile("profile_field_[a-z0-9_-]+"), UserLineParser.COURSE_COLUMN), deferred, null, true);
    }

    /** userdelete.csv and usersuspend.csv: one account per line, found by users.identity with the username fallback. */
    public static FeedDefinition usersTargetDefinition(String name, String file, int order) {
        Set<String> optional = name.equals("users-suspend")
                ? Set.of("username", "idnumber", "email", "firstname", "lastname", "suspended")
                : Set.of("username", "idnumber", "email", "firstname", "lastname", "deleted");
        return new FeedDefinition(name, file, order, Set.of(), optional, List.of(), Map.of(), null, true);
    }

    private static List<FeedDefinition> builtIn() {
        List<FeedDefinition> d = new ArrayList<>();
        d.add(coursesDeleteDefinition());
        d.add(coursesDefinition());
        d.add(coursesResetDefinition());
        d.add(coursesCheckDefinition());
        d.add(coursesMetaDefinition());
        d.add(usersDefinition());
        d.add(usersTargetDefinition("users-suspend", "usersuspend.csv", 70));
        d.add(PicturesFeed.definition());
        d.add(CohortsFeed.definition());
        d.add(CohortsFeed.bindingsDefinition());
        d.add(GroupsFeed.groupsDefinition());
        d.add(EnrolmentsFeed.definition());
        d.add(GroupsFeed.membersDefinition());
        d.add(usersTargetDefinition("users-delete", "userdelete.csv", 900));
        return d;
    }

    private static FeedDefinition later(String name, String file, int order) {
        return new FeedDefinition(name, file, order, Set.of(), Set.of(), List.of(), Map.of(), null, false);
    }
}
