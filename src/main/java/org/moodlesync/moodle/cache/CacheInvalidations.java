package org.moodlesync.moodle.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The invalidations of Moodle's caches (MUC) that Moodle's own APIs would have made for the
 * writes of a transaction or of a whole file: events, definitions with their keys or purged
 * whole, and the courses whose cacherev was bumped. The Moodle layer records them where it
 * writes, named after the Moodle function whose invalidations they copy; they are carried out
 * once per file (see {@link CacheInvalidator}). Thread-safe. Over-recording only costs a
 * rebuild on Moodle's side; a missing record leaves Moodle showing old data.
 */
public final class CacheInvalidations {
    private final Set<CacheEvent> events = EnumSet.noneOf(CacheEvent.class);
    private final Map<CacheDefinition, SortedSet<Long>> keys = new EnumMap<>(CacheDefinition.class);
    private final Set<CacheDefinition> purged = EnumSet.noneOf(CacheDefinition.class);
    private final SortedSet<Long> courses = new TreeSet<>();

    // ------------------------------------------------------------ what Moodle's APIs do

    /** Categories created, moved, deleted, renumbered or their course counts changed: fix_course_sortorder(), core_course_category. */
    public void categoriesChanged() {
        event(CacheEvent.CHANGES_IN_COURSECAT);
    }

    /** Courses created, updated, moved, deleted or renumbered: create_course(), update_course(), delete_course(). */
    public void coursesChanged() {
        event(CacheEvent.CHANGES_IN_COURSE);
    }

    /** rebuild_course_cache(): the courses' cacherev was bumped in the same transaction, their coursemodinfo entries are stale. */
    public synchronized void courseCacheRebuilt(Collection<Long> courseIds) {
        courses.addAll(courseIds);
    }

    /** role_assign() / role_unassign() in course contexts: core_course_category::role_assignment_changed(). */
    public void courseRolesChanged(Collection<Long> courseIds) {
        event(CacheEvent.CHANGES_IN_CATEGORY_ENROLMENT);
        keys(CacheDefinition.COURSECONTACTS, courseIds);
    }

    /** role_assign() / role_unassign() in a category or system context: the contacts of every course below may change. */
    public void categoryRolesChanged() {
        event(CacheEvent.CHANGES_IN_CATEGORY_ENROLMENT);
        purge(CacheDefinition.COURSECONTACTS);
    }

    /** Enrolments added, changed or removed: core_course_category::user_enrolment_changed(). */
    public void enrolmentsChanged(Collection<Long> courseIds) {
        keys(CacheDefinition.COURSECONTACTS, courseIds);
    }

    /** groups_create_group(), groups_update_group(), groups_create_grouping(), groups_update_grouping(). */
    public void groupsChanged(long courseId) {
        keys(CacheDefinition.GROUPDATA, List.of(courseId));
    }

    /**
     * groups_delete_group(), groups_assign_grouping(), groups_delete_grouping(): the course's
     * groups change and every user's cached groupings may too, so Moodle purges the whole
     * user_group_groupings definition.
     */
    public void groupsRestructured(long courseId) {
        groupsChanged(courseId);
        purge(CacheDefinition.USER_GROUP_GROUPINGS);
    }

    /** groups_add_member() / groups_remove_member(). */
    public void membershipsChanged(Collection<Long> userIds) {
        keys(CacheDefinition.USER_GROUP_GROUPINGS, userIds);
    }

    /** Group memberships removed without knowing whose (a cohort's enrolment method deleted): the whole definition goes. */
    public void membershipsRemovedInBulk() {
        purge(CacheDefinition.USER_GROUP_GROUPINGS);
    }

    // ------------------------------------------------------------ building blocks

    public synchronized void event(CacheEvent event) {
        events.add(event);
    }

    public synchronized void keys(CacheDefinition definition, Collection<Long> ids) {
        if (!ids.isEmpty()) {
            keys.computeIfAbsent(definition, d -> new TreeSet<>()).addAll(ids);
        }
    }

    public synchronized void purge(CacheDefinition definition) {
        purged.add(definition);
    }

    /** Adds what another collector recorded (a committed transaction's, into its file's). */
    public void addAll(CacheInvalidations other) {
        if (other == this) {
            return;
        }
        Snapshot s = other.snapshot();
        synchronized (this) {
            events.addAll(s.events());
            s.keys().forEach((d, ids) -> keys.computeIfAbsent(d, x -> new TreeSet<>()).addAll(ids));
            purged.addAll(s.purged());
            courses.addAll(s.courses());
        }
    }

    public synchronized boolean isEmpty() {
        return events.isEmpty() && keys.isEmpty() && purged.isEmpty() && courses.isEmpty();
    }

    /**
     * A copy to carry out. A definition purged whole is not listed with keys as well.
     *
     * @param keys    definition → keys to delete from it
     * @param courses courses whose coursemodinfo entries are stale (their cacherev is already bumped)
     */
    public record Snapshot(Set<CacheEvent> events, Map<CacheDefinition, SortedSet<Long>> keys, Set<CacheDefinition> purged, SortedSet<Long> courses) {
        public boolean isEmpty() {
            return events.isEmpty() && keys.isEmpty() && purged.isEmpty() && courses.isEmpty();
        }

        /** The application-mode definitions the events purge, plus the definitions purged whole. */
        public Set<CacheDefinition> purgedWithEvents() {
            Set<CacheDefinition> all = EnumSet.noneOf(CacheDefinition.class);
            all.addAll(purged);
            events.forEach(e -> all.addAll(e.applicationDefinitions()));
            return all;
        }

        /** One line for the report: "events changesincoursecat; core/groupdata (2 keys); core/user_group_groupings (all); cacherev of 3 courses". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!events.isEmpty()) {
                parts.add("events " + String.join(", ", events.stream().map(CacheEvent::moodleName).toList()));
            }
            keys.forEach((d, ids) -> parts.add(d.id() + " (" + ids.size() + (ids.size() == 1 ? " key)" : " keys)")));
            purged.forEach(d -> parts.add(d.id() + " (all)"));
            if (!courses.isEmpty()) {
                parts.add("course cache of " + courses.size() + (courses.size() == 1 ? " course" : " courses") + " (cacherev bumped)");
            }
            return parts.isEmpty() ? "nothing" : String.join("; ", parts);
        }

        /**
         * What the command strategy writes on the script's standard input:
         * {"events":[...],"definitions":{"core/groupdata":[ids]},"purge":["core/..."],"courses":[ids]}.
         */
        public String toJson() {
            StringBuilder json = new StringBuilder("{\"events\":[");
            json.append(String.join(",", events.stream().map(e -> quote(e.moodleName())).toList()));
            json.append("],\"definitions\":{");
            json.append(String.join(",", keys.entrySet().stream().map(e -> quote(e.getKey().id()) + ":" + numbers(e.getValue())).toList()));
            json.append("},\"purge\":[");
            json.append(String.join(",", purged.stream().map(d -> quote(d.id())).toList()));
            json.append("],\"courses\":").append(numbers(courses)).append('}');
            return json.toString();
        }

        private static String quote(String identifier) {
            // Moodle's event and definition names are [a-z0-9_/]: nothing to escape
            return "\"" + identifier + "\"";
        }

        private static String numbers(Collection<Long> ids) {
            return "[" + String.join(",", ids.stream().map(String::valueOf).toList()) + "]";
        }
    }

    public synchronized Snapshot snapshot() {
        Map<CacheDefinition, SortedSet<Long>> keyCopy = new EnumMap<>(CacheDefinition.class);
        keys.forEach((d, ids) -> {
            if (!purged.contains(d)) {
                keyCopy.put(d, new TreeSet<>(ids));
            }
        });
        return new Snapshot(events.isEmpty() ? EnumSet.noneOf(CacheEvent.class) : EnumSet.copyOf(events), keyCopy,
                purged.isEmpty() ? EnumSet.noneOf(CacheDefinition.class) : EnumSet.copyOf(purged), new TreeSet<>(courses));
    }
}
