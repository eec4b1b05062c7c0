package org.moodlesync.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.moodlesync.moodle.Account;
import org.moodlesync.moodle.ContextLevel;
import org.moodlesync.moodle.Course;
import org.moodlesync.moodle.EnrolState;
import org.moodlesync.moodle.EnrolmentChanges;
import org.moodlesync.moodle.MoodleCourses;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleGroups;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUsers;
import org.moodlesync.moodle.Roles;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.pipeline.Chunk;
import org.moodlesync.pipeline.CsvRecord;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;

/**
 * The enrolments feed (tool_sync §2.9, enrols.csv): enrol, unenrol, shift roles, suspend and
 * reactivate enrolments, or assign roles without enrolment, and put users in groups. A chunk
 * is resolved with one query per kind (users, courses, instances, enrolments, role
 * assignments, groups) and written in one transaction.
 */
public final class EnrolmentsFeed implements FeedProcessor {
    static final Set<String> COMMANDS = Set.of("add", "del", "delete", "shift", "enable", "disable");
    static final Set<String> GROUP_COMMANDS = Set.of("gadd", "gaddcreate", "greplace", "greplacecreate", "gdel");
    /** Enrol plugins that own the roles they give (component enrol_<name>, itemid = instance), as enrol_flatfile, cohort and meta do. */
    private static final Set<String> OWN_ROLES = Set.of("flatfile", "cohort", "meta");
    private static final String FILE_CONTEXT = "enrolments.file-context";

    private final MoodleDatabase db;
    private final MoodleCourses courses;
    private final EnrolmentsFeedSettings settings;
    private final Clock clock;

    public EnrolmentsFeed(MoodleDatabase db, EnrolmentsFeedSettings settings, Clock clock) {
        this.db = db;
        this.courses = new MoodleCourses(db);
        this.settings = settings;
        this.clock = clock;
    }

    static FeedDefinition definition() {
        Set<String> optional = new HashSet<>(Set.of("cmd", "enrol", "starttime", "endtime", "gcmd"));
        for (int i = 1; i <= 9; i++) {
            optional.add("g" + i);
        }
        return new FeedDefinition("enrolments", "enrols.csv", 80, Set.of("rolename", "cid", "uid"), Set.copyOf(optional), List.of(), Map.of(), null, true);
    }

    /**
     * @param courses the file's courses by identifier: a file names a few thousand courses at most,
     *                so each is looked up once per file instead of once per chunk
     */
    private record FileContext(SiteSettings site, MoodleUsers users, Roles roles, long modifier, Map<String, List<Course>> courses) {
    }

    @Override
    public void prepare(FeedRun run) {
        MoodleSite site = MoodleSite.load(db);
        Roles roles;
        try {
            roles = db.read(c -> Roles.load(c, db));
        } catch (SQLException e) {
            throw new org.moodlesync.moodle.MoodleUnavailableException("cannot read the roles: " + e.getMessage(), e);
        }
        long modifier = site.settings().actingAdminId();
        run.attribute(FILE_CONTEXT, () -> new FileContext(site.settings(), new MoodleUsers(db, site.schema()), roles, modifier,
                new java.util.concurrent.ConcurrentHashMap<>()));
    }

    private static FileContext context(FeedRun run) {
        return run.attribute(FILE_CONTEXT, () -> {
            throw new IllegalStateException("the enrolments feed was not prepared for " + run.source());
        });
    }

    public List<Outcome> apply(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<EnrolLine> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = "uid=" + r.text("uid").trim() + " cid=" + r.text("cid").trim();
            try {
                EnrolLine line = parse(r, key, ctx);
                String same = line.cmd() + "|" + line.user() + "|" + line.course() + "|" + line.role() + "|" + line.enrol();
                long earlier = run.firstSeenAt(same, r.line());
                if (earlier >= 0) {
                    outcomes.add(Outcome.failed(r, key, line.cmd(), "the same line is already on line " + earlier + " of this file"));
                } else {
                    lines.add(line);
                }
            } catch (IllegalArgumentException e) {
                outcomes.add(Outcome.failed(r, key, r.text("cmd"), e.getMessage()));
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, l -> Outcome.failed(l.record(), l.key(), l.cmd(), ""),
                (c, ls) -> applyLines(c, ctx, ls, settings.userIdentifier(), settings.courseIdentifier())));
        return outcomes;
    }

    /**
     * The users feed's course&lt;N&gt; columns: the same code as enrols.csv, with the line's user
     * found by username and the courses by the given identifier (courses.identity).
     */
    List<Outcome> enrolFromUsersFile(Connection c, FeedRun run, List<EnrolLine> lines, String courseIdentifier) throws SQLException {
        return lines.isEmpty() ? List.of() : applyLines(c, context(run), lines, "username", courseIdentifier);
    }

    private EnrolLine parse(CsvRecord r, String key, FileContext ctx) {
        if (r.readError() != null) {
            throw new IllegalArgumentException(r.readError());
        }
        String cmd = r.has("cmd") ? r.text("cmd").trim().toLowerCase(Locale.ROOT) : "add";
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("cmd is empty (add, del, shift, enable or disable)");
        }
        if (!COMMANDS.contains(cmd)) {
            throw new IllegalArgumentException("unknown cmd \"" + r.text("cmd") + "\" (add, del, shift, enable or disable)");
        }
        cmd = cmd.equals("delete") ? "del" : cmd;
        String role = r.text("rolename").trim();
        boolean needsRole = cmd.equals("add") || cmd.equals("shift") || (cmd.equals("del") && !r.has("enrol"));
        if (needsRole && role.isEmpty()) {
            throw new IllegalArgumentException("rolename is empty");
        }
        String course = r.text("cid").trim();
        String user = r.text("uid").trim();
        if (course.isEmpty() || user.isEmpty()) {
            throw new IllegalArgumentException(course.isEmpty() ? "cid (the course) is empty" : "uid (the user) is empty");
        }
        String enrol = r.has("enrol") ? (r.text("enrol").trim().isEmpty() ? "manual" : r.text("enrol").trim().toLowerCase(Locale.ROOT)) : null;
        Long start = r.text("starttime").isBlank() ? null : Long.valueOf(DateValues.parse("starttime", r.text("starttime"), ctx.site().zone()));
        Long end = null;
        if (r.text("endtime").trim().equals("0")) {
            end = 0L; // no end date
        } else if (!r.text("endtime").isBlank()) {
            end = DateValues.parse("endtime", r.text("endtime"), ctx.site().zone());
        }
        if (start != null && end != null && end != 0 && end < start) {
            throw new IllegalArgumentException("endtime is before starttime");
        }
        String gcmd = r.text("gcmd").trim().toLowerCase(Locale.ROOT);
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            if (!r.text("g" + i).isBlank()) {
                groups.add(r.text("g" + i).trim());
            }
        }
        if (!gcmd.isEmpty() && !GROUP_COMMANDS.contains(gcmd)) {
            throw new IllegalArgumentException("unknown gcmd \"" + r.text("gcmd") + "\" (gadd, gaddcreate, greplace, greplacecreate or gdel)");
        }
        if (gcmd.isEmpty() && !groups.isEmpty()) {
            throw new IllegalArgumentException("group names without a gcmd");
        }
        if (!gcmd.isEmpty() && groups.isEmpty() && !gcmd.startsWith("greplace")) {
            throw new IllegalArgumentException(gcmd + " without a group name in g1..g9");
        }
        return new EnrolLine(r, key, cmd, role.isEmpty() ? null : role, course, user, enrol, start, end, gcmd.isEmpty() ? null : gcmd, groups);
    }

    private List<Outcome> applyLines(Connection c, FileContext ctx, List<EnrolLine> lines, String userIdentifier, String courseIdentifier) throws SQLException {
        long now = clock.instant().getEpochSecond();
        long host = ctx.site().mnetLocalHostId();
        Set<String> userValues = new HashSet<>();
        Set<String> courseValues = new HashSet<>();
        for (EnrolLine l : lines) {
            userValues.add(userIdentifier.equals("username") ? l.user().toLowerCase(Locale.ROOT) : l.user());
            courseValues.add(l.course());
        }
        Map<String, List<Account>> users = ctx.users().byIdentifier(c, host, userIdentifier, userValues);
        Map<String, List<Course>> found = courses(c, ctx, courseValues, courseIdentifier);
        Set<Long> userIds = new HashSet<>();
        users.values().forEach(list -> list.forEach(a -> userIds.add(a.id())));
        Set<Long> courseIds = new HashSet<>();
        Set<Long> contextIds = new HashSet<>();
        found.values().forEach(list -> list.forEach(co -> {
            courseIds.add(co.id());
            contextIds.add(co.contextId());
        }));
        Map<String, long[]> pairs = new LinkedHashMap<>();
        for (EnrolLine l : lines) {
            List<Account> u = users.getOrDefault(userIdentifier.equals("username") ? l.user().toLowerCase(Locale.ROOT) : l.user(), List.of());
            List<Course> co = found.getOrDefault(l.course(), List.of());
            if (u.size() == 1 && co.size() == 1) {
                pairs.putIfAbsent(co.get(0).id() + ":" + u.get(0).id(), new long[] {co.get(0).id(), co.get(0).contextId(), u.get(0).id()});
            }
        }
        EnrolState state = EnrolState.load(c, db, pairs.values());
        boolean anyGroups = lines.stream().anyMatch(l -> l.gcmd() != null) || lines.stream().anyMatch(l -> l.cmd().equals("del"));
        MoodleGroups groups = anyGroups ? MoodleGroups.load(c, db, courseIds, userIds) : MoodleGroups.load(c, db, List.of(), List.of());
        EnrolmentChanges changes = new EnrolmentChanges();
        List<Outcome> outcomes = new ArrayList<>();
        for (EnrolLine l : lines) {
            List<Account> u = users.getOrDefault(userIdentifier.equals("username") ? l.user().toLowerCase(Locale.ROOT) : l.user(), List.of());
            List<Course> co = found.getOrDefault(l.course(), List.of());
            String problem = u.isEmpty() ? "no account with " + userIdentifier + " " + l.user()
                    : u.size() > 1 ? userIdentifier + " " + l.user() + " matches " + u.size() + " accounts"
                    : co.isEmpty() ? "no course with " + courseIdentifier + " " + l.course()
                    : co.size() > 1 ? courseIdentifier + " " + l.course() + " matches " + co.size() + " courses" : null;
            Long roleId = null;
            if (problem == null && l.role() != null) {
                roleId = ctx.roles().id(l.role()).orElse(null);
                if (roleId == null) {
                    problem = "there is no role " + l.role();
                } else if (!ctx.roles().assignableAt(roleId, ContextLevel.COURSE)) {
                    problem = "role " + l.role() + " cannot be assigned in a course";
                }
            }
            if (problem != null) {
                outcomes.add(Outcome.failed(l.record(), l.key(), l.cmd(), problem));
                continue;
            }
            outcomes.add(new LineApplier(c, state, groups, changes, l, u.get(0), co.get(0), roleId, ctx.roles(), now).apply());
        }
        changes.write(c, db, ctx.modifier(), now);
        return outcomes;
    }

    private Map<String, List<Course>> courses(Connection c, FileContext ctx, Set<String> values, String courseIdentifier) throws SQLException {
        Set<String> missing = new HashSet<>();
        for (String v : values) {
            if (!ctx.courses().containsKey(courseIdentifier + ":" + v)) {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, List<Course>> looked = courses.by(c, courseIdentifier, missing);
            for (String v : missing) {
                ctx.courses().put(courseIdentifier + ":" + v, looked.getOrDefault(v, List.of()));
            }
        }
        Map<String, List<Course>> found = new HashMap<>();
        values.forEach(v -> found.put(v, ctx.courses().get(courseIdentifier + ":" + v)));
        return found;
    }

    /** One line against the chunk's state: decides, records the writes in {@code changes}, keeps {@code state} current for the next lines. */
    private static final class LineApplier {
        private final Connection c;
        private final EnrolState state;
        private final MoodleGroups groups;
        private final EnrolmentChanges changes;
        private final EnrolLine l;
        private final Account user;
        private final Course course;
        private final Long roleId;
        private final Roles roles;
        private final long now;
        private final List<String> done = new ArrayList<>();

        LineApplier(Connection c, EnrolState state, MoodleGroups groups, EnrolmentChanges changes, EnrolLine l, Account user, Course course, Long roleId,
                    Roles roles, long now) {
            this.roles = roles;
            this.c = c;
            this.state = state;
            this.groups = groups;
            this.changes = changes;
            this.l = l;
            this.user = user;
            this.course = course;
            this.roleId = roleId;
            this.now = now;
        }

        Outcome apply() throws SQLException {
            EnrolState.Instance instance = null;
            if (l.enrol() != null) {
                instance = state.firstEnabled(course.id(), l.enrol());
                if (instance == null) {
                    return Outcome.failed(l.record(), l.key(), l.cmd(), "course " + course.shortname() + " has no enabled " + l.enrol() + " enrolment method");
                }
            }
            OutcomeType type;
            switch (l.cmd()) {
                case "add" -> type = add(instance);
                case "del" -> type = delete(instance);
                case "shift" -> type = shift(instance);
                default -> {
                    String failure = setStatus(instance, l.cmd().equals("enable") ? 0 : 1);
                    if (failure != null) {
                        return Outcome.failed(l.record(), l.key(), l.cmd(), failure);
                    }
                    type = done.isEmpty() ? OutcomeType.UNCHANGED : l.cmd().equals("disable") ? OutcomeType.SUSPENDED : OutcomeType.UPDATED;
                }
            }
            if (l.gcmd() != null) {
                String failure = applyGroups();
                if (failure != null) {
                    // thrown, not reported: the line's enrolment part must not stay written without its group part
                    throw new LineRefusedException(failure);
                }
                if (type == OutcomeType.UNCHANGED && !done.isEmpty()) {
                    type = OutcomeType.UPDATED;
                }
            }
            String where = " in " + course.shortname() + (l.enrol() == null ? "" : " through " + l.enrol());
            return new Outcome(l.record(), l.key(), l.cmd(), type, done.isEmpty() ? "nothing to change" + where : String.join(", ", done) + where);
        }

        private String component(EnrolState.Instance instance) {
            return instance != null && OWN_ROLES.contains(instance.plugin()) ? "enrol_" + instance.plugin() : "";
        }

        private long itemId(EnrolState.Instance instance) {
            return instance != null && OWN_ROLES.contains(instance.plugin()) ? instance.id() : 0;
        }

        private boolean hasRole(long role, String component, long itemId) {
            return state.assignments(course.contextId(), user.id()).stream()
                    .anyMatch(a -> a.roleId() == role && a.component().equals(component) && a.itemId() == itemId);
        }

        private void assign(long role, EnrolState.Instance instance) {
            if (!hasRole(role, component(instance), itemId(instance))) {
                changes.assign(role, course.contextId(), user.id(), component(instance), itemId(instance));
                state.assignmentsByContextAndUser.computeIfAbsent(course.contextId() + ":" + user.id(), k -> new ArrayList<>())
                        .add(new EnrolState.Assignment(-1, role, course.contextId(), user.id(), component(instance), itemId(instance)));
                done.add("role " + l.role() + " assigned");
            }
        }

        /** Returns true when the user was not enrolled on the instance before. */
        private boolean ensureEnrolled(EnrolState.Instance instance) {
            EnrolState.UserEnrolment ue = state.enrolment(instance.id(), user.id());
            long start = l.start() != null ? l.start() : ue != null ? ue.timestart() : 0;
            long end = l.end() != null ? l.end() : ue != null ? ue.timeend() : 0;
            if (ue == null) {
                changes.enrol(instance.id(), user.id(), 0, start, end);
                state.enrolmentByInstanceAndUser.put(instance.id() + ":" + user.id(), new EnrolState.UserEnrolment(-1, instance.id(), user.id(), 0, start, end));
                done.add("enrolled");
                return true;
            }
            if (ue.id() >= 0 && (ue.timestart() != start || ue.timeend() != end)) {
                changes.updateEnrolment(ue, ue.status(), start, end);
                done.add("enrolment dates changed");
            }
            return false;
        }

        private OutcomeType add(EnrolState.Instance instance) {
            boolean enrolled = instance != null && ensureEnrolled(instance);
            assign(roleId, instance);
            return enrolled || (instance == null && !done.isEmpty()) ? OutcomeType.CREATED : done.isEmpty() ? OutcomeType.UNCHANGED : OutcomeType.UPDATED;
        }

        private OutcomeType shift(EnrolState.Instance instance) {
            boolean enrolled = instance != null && ensureEnrolled(instance);
            for (EnrolState.Assignment a : List.copyOf(state.assignments(course.contextId(), user.id()))) {
                if (a.component().equals(component(instance)) && a.itemId() == itemId(instance) && a.roleId() != roleId && a.id() >= 0) {
                    changes.unassign(a);
                    state.assignments(course.contextId(), user.id()).remove(a);
                    done.add("role " + roles.shortname(a.roleId()) + " removed");
                }
            }
            assign(roleId, instance);
            return enrolled ? OutcomeType.CREATED : done.isEmpty() ? OutcomeType.UNCHANGED : OutcomeType.UPDATED;
        }

        private OutcomeType delete(EnrolState.Instance instance) {
            if (instance == null) {
                for (EnrolState.Assignment a : List.copyOf(state.assignments(course.contextId(), user.id()))) {
                    if (a.roleId() == roleId && a.component().isEmpty() && a.itemId() == 0 && a.id() >= 0) {
                        changes.unassign(a);
                        state.assignments(course.contextId(), user.id()).remove(a);
                        done.add("role " + l.role() + " removed");
                    }
                }
                return done.isEmpty() ? OutcomeType.UNCHANGED : OutcomeType.DELETED;
            }
            EnrolState.UserEnrolment ue = state.enrolment(instance.id(), user.id());
            if (ue == null || ue.id() < 0) {
                return OutcomeType.UNCHANGED;
            }
            changes.unenrol(ue);
            state.enrolmentByInstanceAndUser.remove(instance.id() + ":" + user.id());
            done.add("unenrolled");
            for (EnrolState.Assignment a : List.copyOf(state.assignments(course.contextId(), user.id()))) {
                if (!component(instance).isEmpty() && a.component().equals(component(instance)) && a.itemId() == instance.id() && a.id() >= 0) {
                    changes.unassign(a);
                    state.assignments(course.contextId(), user.id()).remove(a);
                }
            }
            if (state.enrolmentsInCourse(course.id(), user.id()).isEmpty()) {
                // unenrol_user(): with the last enrolment go every role in the course, the groups and the last access
                changes.leaveCourse(user.id(), course.id(), course.contextPath());
                state.assignmentsByContextAndUser.remove(course.contextId() + ":" + user.id());
                groups.forgetMemberships(course.id(), user.id());
            }
            return OutcomeType.DELETED;
        }

        private String setStatus(EnrolState.Instance instance, int status) {
            List<EnrolState.UserEnrolment> targets = instance != null
                    ? (state.enrolment(instance.id(), user.id()) == null ? List.of() : List.of(state.enrolment(instance.id(), user.id())))
                    : state.enrolmentsInCourse(course.id(), user.id());
            if (targets.isEmpty()) {
                return "account " + user.username() + " is not enrolled in " + course.shortname() + (l.enrol() == null ? "" : " through " + l.enrol());
            }
            for (EnrolState.UserEnrolment ue : targets) {
                if (ue.id() < 0) {
                    return "this line changes an enrolment made earlier in the same file: feed it again in another file";
                }
                if (ue.status() != status) {
                    long start = l.start() != null ? l.start() : ue.timestart();
                    long end = l.end() != null ? l.end() : ue.timeend();
                    changes.updateEnrolment(ue, status, start, end);
                    state.enrolmentByInstanceAndUser.put(ue.enrolId() + ":" + ue.userId(),
                            new EnrolState.UserEnrolment(ue.id(), ue.enrolId(), ue.userId(), status, start, end));
                    done.add(status == 0 ? "enrolment reactivated" : "enrolment suspended");
                }
            }
            return null;
        }

        /** gadd, gaddcreate, greplace, greplacecreate, gdel: only enrolled users join groups (groups_add_member() refuses the others). */
        private String applyGroups() throws SQLException {
            boolean enrolledNow = !state.enrolmentsInCourse(course.id(), user.id()).isEmpty();
            String gcmd = l.gcmd();
            if (!gcmd.equals("gdel") && !enrolledNow) {
                return "account " + user.username() + " is not enrolled in " + course.shortname() + ": it cannot join its groups";
            }
            List<Long> named = new ArrayList<>();
            for (String name : l.groups()) {
                Long id = groups.group(course.id(), name);
                if (id == null && gcmd.endsWith("create")) {
                    id = groups.create(c, course.id(), name, now);
                    done.add("group " + name + " created");
                }
                if (id == null && !gcmd.equals("gdel")) {
                    return "course " + course.shortname() + " has no group " + name + " (use gaddcreate to create it)";
                }
                if (id != null) {
                    named.add(id);
                }
            }
            if (gcmd.startsWith("greplace")) {
                for (Long g : groups.groupsOf(course.id(), user.id())) {
                    if (!named.contains(g) && groups.remove(c, g, user.id())) {
                        done.add("removed from a group");
                    }
                }
            }
            for (Long g : named) {
                if (gcmd.equals("gdel")) {
                    if (groups.remove(c, g, user.id())) {
                        done.add("removed from group");
                    }
                } else if (groups.add(c, g, user.id(), now)) {
                    done.add("added to group");
                }
            }
            return null;
        }
    }
}
