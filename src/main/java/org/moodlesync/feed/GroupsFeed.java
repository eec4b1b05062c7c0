package org.moodlesync.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.moodlesync.moodle.Account;
import org.moodlesync.moodle.Course;
import org.moodlesync.moodle.CourseGroups;
import org.moodlesync.moodle.EnrolState;
import org.moodlesync.moodle.MoodleCourses;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleGroups;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUsers;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.pipeline.Chunk;
import org.moodlesync.pipeline.CsvRecord;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;

/**
 * The groups feeds: groups.csv creates and updates groups and groupings (tool_sync §2.10),
 * groupmembers.csv adds, removes and shifts members (§2.11). Groups are always looked up in the
 * line's own course (tool_sync could hit another course's group, and inserted raw course values).
 */
public final class GroupsFeed implements FeedProcessor {
    private static final String FILE_CONTEXT = "groups.file-context";
    private static final int NAME_MAX = 254;
    private static final int IDNUMBER_MAX = 100;

    private final MoodleDatabase db;
    private final MoodleCourses courses;
    private final GroupsFeedSettings settings;
    private final Clock clock;

    public GroupsFeed(MoodleDatabase db, GroupsFeedSettings settings, Clock clock) {
        this.db = db;
        this.courses = new MoodleCourses(db);
        this.settings = settings;
        this.clock = clock;
    }

    static FeedDefinition groupsDefinition() {
        return new FeedDefinition("groups", "groups.csv", 90, Set.of("courseid", "name"),
                Set.of("type", "idnumber", "updateid", "description", "grouping", "selfgrouping"), List.of(), Map.of(), null, true);
    }

    static FeedDefinition membersDefinition() {
        return new FeedDefinition("group-members", "groupmembers.csv", 100, Set.of("groupid", "userid", "courseid"), Set.of("cmd"),
                List.of(), Map.of(), null, true);
    }

    /** @param touched courses whose memberships the file changed: the only ones a purge looks at */
    private record FileContext(SiteSettings site, MoodleUsers users, Set<Long> touched) {
    }

    @Override
    public void prepare(FeedRun run) {
        MoodleSite site = MoodleSite.load(db);
        run.attribute(FILE_CONTEXT, () -> new FileContext(site.settings(), new MoodleUsers(db, site.schema()), java.util.concurrent.ConcurrentHashMap.newKeySet()));
    }

    private static FileContext context(FeedRun run) {
        return run.attribute(FILE_CONTEXT, () -> {
            throw new IllegalStateException("the groups feed was not prepared for " + run.source());
        });
    }

    /** groups.purge-empty: after a members file, empty groups (and groupings) of the courses it touched go; never site-wide (tool_sync bug 41). */
    @Override
    public void finish(FeedRun run) {
        FileContext ctx = context(run);
        if (!run.feed().equals("group-members") || settings.purge().equals("none") || ctx.touched().isEmpty()) {
            return;
        }
        if (run.dryRun()) {
            // every chunk of a dry run was rolled back: a purge now would judge the groups as they were before the file
            run.note("groups.purge-empty is not computed in a dry run: it would see the groups as they were before the file");
            return;
        }
        try {
            List<String> removed = db.inTransaction(run.caches(), run.dryRun(), c -> CourseGroups.purgeEmpty(c, db, ctx.touched(), settings.purge().equals("groups-and-groupings")));
            if (!removed.isEmpty()) {
                run.note((run.dryRun() ? "would purge " : "purged ") + removed.size() + " empty: " + String.join(", ", removed));
            }
        } catch (SQLException e) {
            run.note("the purge of empty groups failed: " + org.moodlesync.moodle.SqlErrors.describe(e));
        }
    }

    private Map<String, List<Course>> coursesOf(Connection c, List<CsvRecord> lines) throws SQLException {
        Set<String> values = new HashSet<>();
        lines.forEach(r -> values.add(r.text("courseid").trim()));
        return courses.by(c, settings.courseIdentifier(), values);
    }

    private static String keyOf(CsvRecord r, String... columns) {
        List<String> parts = new ArrayList<>();
        for (String col : columns) {
            parts.add(col + "=" + r.text(col).trim());
        }
        return String.join(" ", parts);
    }

    // ------------------------------------------------------------------ groups.csv

    public List<Outcome> groups(Chunk chunk) {
        FeedRun run = chunk.run();
        List<Outcome> outcomes = new ArrayList<>();
        List<CsvRecord> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = keyOf(r, "courseid", "name");
            String type = r.text("type").trim().toLowerCase(Locale.ROOT);
            String problem = r.readError() != null ? r.readError()
                    : r.text("courseid").isBlank() ? "courseid is empty"
                    : r.text("name").isBlank() ? "name is empty"
                    : r.text("name").trim().length() > NAME_MAX ? "name is longer than " + NAME_MAX + " characters"
                    : r.text("idnumber").trim().length() > IDNUMBER_MAX ? "idnumber is longer than " + IDNUMBER_MAX + " characters"
                    : !type.isEmpty() && !type.equals("group") && !type.equals("grouping") ? "type must be group or grouping, not \"" + r.text("type") + "\""
                    : null;
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, "group", problem));
            } else {
                lines.add(r);
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, r -> Outcome.failed(r, keyOf(r, "courseid", "name"), "group", ""), this::applyGroups));
        return outcomes;
    }

    private List<Outcome> applyGroups(Connection c, List<CsvRecord> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        Map<String, List<Course>> found = coursesOf(c, lines);
        Set<Long> courseIds = new HashSet<>();
        found.values().forEach(list -> list.forEach(co -> courseIds.add(co.id())));
        CourseGroups groups = CourseGroups.load(c, db, courseIds);
        List<Outcome> outcomes = new ArrayList<>();
        for (CsvRecord r : lines) {
            String key = keyOf(r, "courseid", "name");
            boolean grouping = r.text("type").trim().equalsIgnoreCase("grouping");
            String op = grouping ? "grouping" : "group";
            List<Course> co = found.getOrDefault(r.text("courseid").trim(), List.of());
            if (co.size() != 1) {
                outcomes.add(Outcome.failed(r, key, op, co.isEmpty() ? "no course with " + settings.courseIdentifier() + " " + r.text("courseid").trim()
                        : settings.courseIdentifier() + " " + r.text("courseid").trim() + " matches " + co.size() + " courses"));
                continue;
            }
            long courseId = co.get(0).id();
            String name = r.text("name").trim();
            String idnumber = r.text("idnumber").trim();
            String updateId = r.text("updateid").trim();
            List<CourseGroups.Row> match = !updateId.isEmpty() ? groups.find(grouping, courseId, grouping ? settings.groupingIdentifier() : settings.groupIdentifier(), updateId)
                    : !idnumber.isEmpty() ? groups.find(grouping, courseId, "idnumber", idnumber) : groups.find(grouping, courseId, "name", name);
            if (match.size() > 1) {
                outcomes.add(Outcome.failed(r, key, op, match.size() + " " + op + "s of the course match: fix them in Moodle first"));
                continue;
            }
            CourseGroups.Row existing = match.isEmpty() ? null : match.get(0);
            if (!idnumber.isEmpty() && groups.find(grouping, courseId, "idnumber", idnumber).stream().anyMatch(g -> existing == null || g.id() != existing.id())) {
                outcomes.add(Outcome.failed(r, key, op, "another " + op + " of the course already has idnumber " + idnumber));
                continue;
            }
            List<String> done = new ArrayList<>();
            long id;
            OutcomeType type;
            if (existing == null) {
                id = groups.create(c, grouping, courseId, name, idnumber, r.text("description"), now);
                type = OutcomeType.CREATED;
                done.add(op + " created");
            } else {
                id = existing.id();
                String newIdnumber = r.has("idnumber") ? idnumber : existing.idnumber();
                String newDescription = r.has("description") ? r.text("description") : existing.description();
                if (!existing.name().equals(name) || !existing.idnumber().equals(newIdnumber) || !existing.description().equals(newDescription)) {
                    groups.update(c, grouping, existing, name, newIdnumber, newDescription, now);
                    done.add(op + " updated");
                }
                type = OutcomeType.UNCHANGED;
            }
            if (!grouping) {
                String failure = placeInGroupings(c, groups, r, courseId, id, name, now, done);
                if (failure != null) {
                    throw new LineRefusedException(failure);
                }
            }
            if (type == OutcomeType.UNCHANGED && !done.isEmpty()) {
                type = OutcomeType.UPDATED;
            }
            outcomes.add(new Outcome(r, key, op, type, done.isEmpty() ? "" : String.join(", ", done) + " in " + co.get(0).shortname()));
        }
        return outcomes;
    }

    /** grouping: the group goes into that grouping of the course; selfgrouping: into a grouping named after it, created when missing. */
    private String placeInGroupings(Connection c, CourseGroups groups, CsvRecord r, long courseId, long groupId, String name, long now, List<String> done)
            throws SQLException {
        String grouping = r.text("grouping").trim();
        if (!grouping.isEmpty()) {
            List<CourseGroups.Row> g = groups.find(true, courseId, settings.groupingIdentifier(), grouping);
            if (g.size() != 1) {
                return g.isEmpty() ? "the course has no grouping with " + settings.groupingIdentifier() + " " + grouping
                        : g.size() + " groupings of the course have " + settings.groupingIdentifier() + " " + grouping;
            }
            if (groups.assign(c, courseId, g.get(0).id(), groupId, now)) {
                done.add("added to grouping " + g.get(0).name());
            }
        }
        if (!r.text("selfgrouping").isBlank()) {
            List<CourseGroups.Row> own = groups.find(true, courseId, "name", name);
            long groupingId = own.isEmpty() ? groups.create(c, true, courseId, name, "", "", now) : own.get(0).id();
            if (own.isEmpty()) {
                done.add("grouping " + name + " created");
            }
            if (groups.assign(c, courseId, groupingId, groupId, now)) {
                done.add("added to grouping " + name);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ groupmembers.csv

    public List<Outcome> members(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<CsvRecord> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = keyOf(r, "courseid", "groupid", "userid");
            String cmd = r.text("cmd").trim().toLowerCase(Locale.ROOT);
            String problem = r.readError() != null ? r.readError()
                    : r.text("courseid").isBlank() ? "courseid is empty"
                    : r.text("groupid").isBlank() ? "groupid is empty"
                    : r.text("userid").isBlank() ? "userid is empty"
                    : !cmd.isEmpty() && !Set.of("add", "del", "delete", "shift").contains(cmd) ? "cmd must be add, del or shift, not \"" + r.text("cmd") + "\""
                    : null;
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, cmd.isEmpty() ? "add" : cmd, problem));
            } else {
                lines.add(r);
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, r -> Outcome.failed(r, keyOf(r, "courseid", "groupid", "userid"), "member", ""),
                (c, ls) -> applyMembers(c, ctx, ls)));
        return outcomes;
    }

    private List<Outcome> applyMembers(Connection c, FileContext ctx, List<CsvRecord> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        Map<String, List<Course>> found = coursesOf(c, lines);
        Set<String> userValues = new HashSet<>();
        lines.forEach(r -> userValues.add(settings.userIdentifier().equals("username") ? r.text("userid").trim().toLowerCase(Locale.ROOT) : r.text("userid").trim()));
        Map<String, List<Account>> users = ctx.users().byIdentifier(c, ctx.site().mnetLocalHostId(), settings.userIdentifier(), userValues);
        Set<Long> courseIds = new HashSet<>();
        found.values().forEach(list -> list.forEach(co -> courseIds.add(co.id())));
        Set<Long> userIds = new HashSet<>();
        users.values().forEach(list -> list.forEach(a -> userIds.add(a.id())));
        CourseGroups groups = CourseGroups.load(c, db, courseIds);
        MoodleGroups members = MoodleGroups.load(c, db, courseIds, userIds);
        Map<String, long[]> pairs = new LinkedHashMap<>();
        for (List<Course> list : found.values()) {
            for (Course co : list) {
                for (long u : userIds) {
                    pairs.putIfAbsent(co.id() + ":" + u, new long[] {co.id(), co.contextId(), u});
                }
            }
        }
        EnrolState enrolled = EnrolState.load(c, db, pairs.values());
        List<Outcome> outcomes = new ArrayList<>();
        for (CsvRecord r : lines) {
            String key = keyOf(r, "courseid", "groupid", "userid");
            String cmd = r.text("cmd").trim().toLowerCase(Locale.ROOT);
            cmd = cmd.isEmpty() ? "add" : cmd.equals("delete") ? "del" : cmd;
            List<Course> co = found.getOrDefault(r.text("courseid").trim(), List.of());
            List<Account> u = users.getOrDefault(settings.userIdentifier().equals("username") ? r.text("userid").trim().toLowerCase(Locale.ROOT) : r.text("userid").trim(), List.of());
            List<CourseGroups.Row> g = co.size() == 1 ? groups.find(false, co.get(0).id(), settings.groupIdentifier(), r.text("groupid").trim()) : List.of();
            String problem = co.size() != 1 ? "no single course with " + settings.courseIdentifier() + " " + r.text("courseid").trim()
                    : u.size() != 1 ? "no single account with " + settings.userIdentifier() + " " + r.text("userid").trim()
                    : g.size() != 1 ? "course " + co.get(0).shortname() + " has no single group with " + settings.groupIdentifier() + " " + r.text("groupid").trim()
                    : !cmd.equals("del") && enrolled.enrolmentsInCourse(co.get(0).id(), u.get(0).id()).isEmpty()
                    ? "account " + u.get(0).username() + " is not enrolled in " + co.get(0).shortname() + ": only enrolled users join its groups" : null;
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, cmd, problem));
                continue;
            }
            long courseId = co.get(0).id();
            long userId = u.get(0).id();
            long groupId = g.get(0).id();
            List<String> done = new ArrayList<>();
            if (cmd.equals("shift")) {
                for (Long other : members.groupsOf(courseId, userId)) {
                    if (other != groupId && members.remove(c, other, userId)) {
                        done.add("removed from another group");
                    }
                }
            }
            if (cmd.equals("del")) {
                if (members.remove(c, groupId, userId)) {
                    done.add("removed from " + g.get(0).name());
                }
            } else if (members.add(c, groupId, userId, now)) {
                done.add("added to " + g.get(0).name());
            }
            if (!done.isEmpty()) {
                ctx.touched().add(courseId);
            }
            OutcomeType type = done.isEmpty() ? OutcomeType.UNCHANGED : cmd.equals("del") ? OutcomeType.DELETED : OutcomeType.UPDATED;
            outcomes.add(new Outcome(r, key, cmd, type, String.join(", ", done)));
        }
        return outcomes;
    }

}
