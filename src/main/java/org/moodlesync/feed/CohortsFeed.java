package org.moodlesync.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.moodlesync.moodle.Account;
import org.moodlesync.moodle.CategoryTree;
import org.moodlesync.moodle.CohortLinks;
import org.moodlesync.moodle.CourseGroups;
import org.moodlesync.moodle.Contexts;
import org.moodlesync.moodle.MoodleCategories;
import org.moodlesync.moodle.MoodleCohorts;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUsers;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.pipeline.Chunk;
import org.moodlesync.pipeline.CsvRecord;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.FileRejectedException;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;

/**
 * The cohorts feed (tool_sync §2.12, cohorts.csv): {@code add} creates or updates a cohort and
 * adds a member, {@code del} removes a member (or deletes the cohort when the line names no
 * user), {@code free} empties it. The key column follows cohorts.identifier: cid, cidnumber or
 * cname. A line naming a user that does not exist never deletes anything (tool_sync deleted the
 * whole cohort: bug 42).
 */
public final class CohortsFeed implements FeedProcessor {
    private static final String FILE_CONTEXT = "cohorts.file-context";

    private final MoodleDatabase db;
    private final MoodleCohorts cohorts;
    private final CohortsFeedSettings settings;
    private final Clock clock;

    public CohortsFeed(MoodleDatabase db, CohortsFeedSettings settings, Clock clock) {
        this.db = db;
        this.cohorts = new MoodleCohorts(db);
        this.settings = settings;
        this.clock = clock;
    }

    static FeedDefinition definition() {
        return new FeedDefinition("cohorts", "cohorts.csv", 110, Set.of(), Set.of("cmd", "userid", "cid", "cname", "cidnumber", "cdescription",
                "ccatcontext", "ccatcontextidnumber", "component"), List.of(), Map.of(), null, true);
    }

    /** cohortscourses.csv: cohort, course, cmd (add, del, restore, fulldel), role (* = every role), enrol (cohort), enrolstart, enrolend, makegroup. */
    static FeedDefinition bindingsDefinition() {
        return new FeedDefinition("cohort-courses", "cohortscourses.csv", 120, Set.of("cohort", "course"),
                Set.of("cmd", "role", "enrol", "enrolstart", "enrolend", "makegroup"), List.of(), Map.of(), null, true);
    }

    private record FileContext(SiteSettings site, MoodleUsers users) {
    }

    @Override
    public void prepare(FeedRun run) {
        if (run.feed().equals("cohorts") && !run.header().has(settings.keyColumn())) {
            throw new FileRejectedException(run.source() + ": a cohorts file needs the column " + settings.keyColumn()
                    + " (cohorts.identifier = " + settings.identifier() + ")");
        }
        MoodleSite site = MoodleSite.load(db);
        if (run.feed().equals("cohort-courses") && !site.settings().enrolPluginEnabled("cohort")) {
            throw new FileRejectedException(run.source() + ": the \"Cohort sync\" enrolment method (enrol_cohort) is not enabled on this site:"
                    + " enable it in Moodle (Site administration > Plugins > Enrolments) before binding cohorts to courses");
        }
        run.attribute(FILE_CONTEXT, () -> new FileContext(site.settings(), new MoodleUsers(db, site.schema())));
    }

    private static FileContext context(FeedRun run) {
        return run.attribute(FILE_CONTEXT, () -> {
            throw new IllegalStateException("the cohorts feed was not prepared for " + run.source());
        });
    }

    public List<Outcome> apply(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<CsvRecord> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = settings.keyColumn() + "=" + r.text(settings.keyColumn()).trim() + (r.text("userid").isBlank() ? "" : " userid=" + r.text("userid").trim());
            String cmd = cmdOf(r);
            String problem = r.readError() != null ? r.readError()
                    : r.text(settings.keyColumn()).isBlank() ? settings.keyColumn() + " (the cohort) is empty"
                    : !Set.of("add", "del", "free").contains(cmd) ? "cmd must be add, del or free, not \"" + r.text("cmd") + "\"" : null;
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, cmd, problem));
            } else {
                lines.add(r);
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, r -> Outcome.failed(r, settings.keyColumn() + "=" + r.text(settings.keyColumn()).trim(),
                cmdOf(r), ""), (c, ls) -> applyLines(c, ctx, ls)));
        return outcomes;
    }

    private static String cmdOf(CsvRecord r) {
        String cmd = r.text("cmd").trim().toLowerCase(Locale.ROOT);
        return cmd.isEmpty() ? "add" : cmd.equals("delete") ? "del" : cmd;
    }

    private List<Outcome> applyLines(Connection c, FileContext ctx, List<CsvRecord> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        Set<String> userValues = new HashSet<>();
        for (CsvRecord r : lines) {
            if (!r.text("userid").isBlank()) {
                userValues.add(settings.userIdentifier().equals("username") ? r.text("userid").trim().toLowerCase(Locale.ROOT) : r.text("userid").trim());
            }
        }
        Map<String, List<Account>> users = ctx.users().byIdentifier(c, ctx.site().mnetLocalHostId(), settings.userIdentifier(), userValues);
        List<Outcome> outcomes = new ArrayList<>();
        Set<Long> changedCohorts = new HashSet<>();
        CategoryTree tree = null;
        for (CsvRecord r : lines) {
            String keyValue = r.text(settings.keyColumn()).trim();
            String key = settings.keyColumn() + "=" + keyValue + (r.text("userid").isBlank() ? "" : " userid=" + r.text("userid").trim());
            String cmd = cmdOf(r);
            // one line at a time: a cohort created or deleted by a line is seen by the next
            List<MoodleCohorts.Cohort> found = cohorts.by(c, settings.identifier(), Set.of(keyValue)).getOrDefault(keyValue, List.of());
            Account user = null;
            if (!r.text("userid").isBlank()) {
                List<Account> u = users.getOrDefault(settings.userIdentifier().equals("username") ? r.text("userid").trim().toLowerCase(Locale.ROOT)
                        : r.text("userid").trim(), List.of());
                if (u.size() != 1) {
                    outcomes.add(Outcome.failed(r, key, cmd, "no single account with " + settings.userIdentifier() + " " + r.text("userid").trim()
                            + (cmd.equals("del") ? ": nothing is removed or deleted" : "")));
                    continue;
                }
                user = u.get(0);
            }
            if (found.size() > 1) {
                outcomes.add(Outcome.failed(r, key, cmd, found.size() + " cohorts have " + settings.identifier() + " " + keyValue + ": fix them in Moodle first"));
                continue;
            }
            MoodleCohorts.Cohort cohort = found.isEmpty() ? null : found.get(0);
            // a plugin's cohort is only fed by lines naming that plugin in the component column
            String component = r.text("component").trim();
            if (cohort != null && !cohort.component().equals(component) && (!cohort.component().isEmpty() || !component.isEmpty())) {
                outcomes.add(Outcome.failed(r, key, cmd, cohort.component().isEmpty()
                        ? "cohort " + cohort.name() + " belongs to no plugin, the line names " + component + ": a cohort's component is set when it is created, never changed"
                        : "cohort " + cohort.name() + " belongs to " + cohort.component() + ": only that plugin changes it"));
                continue;
            }
            List<String> done = new ArrayList<>();
            OutcomeType type = OutcomeType.UNCHANGED;
            switch (cmd) {
                case "add" -> {
                    Long contextId = Contexts.SYSTEM_CONTEXT_ID;
                    String category = r.text("ccatcontextidnumber").isBlank() ? r.text("ccatcontext").trim() : r.text("ccatcontextidnumber").trim();
                    if (!category.isEmpty()) {
                        if (tree == null) {
                            tree = new MoodleCategories(db).load(c);
                        }
                        var cat = r.text("ccatcontextidnumber").isBlank()
                                ? (category.matches("\\d{1,18}") ? tree.byId(Long.parseLong(category)) : java.util.Optional.<org.moodlesync.moodle.Category>empty())
                                : tree.byIdnumber(category);
                        if (cat.isEmpty()) {
                            outcomes.add(Outcome.failed(r, key, cmd, "no category " + category + " to hold the cohort"));
                            continue;
                        }
                        contextId = cat.get().contextId();
                    }
                    // tool_sync files mix cohort lines and membership lines: an empty cell leaves the cohort's value as it is
                    String name = !r.text("cname").isBlank() ? r.text("cname").trim() : cohort != null ? cohort.name() : keyValue;
                    String idnumber = !r.text("cidnumber").isBlank() ? r.text("cidnumber").trim() : cohort != null ? cohort.idnumber() : "";
                    String description = !r.text("cdescription").isBlank() ? r.text("cdescription") : cohort != null ? cohort.description() : "";
                    String tooLong = CohortFieldLimits.problem(name, idnumber, component);
                    if (tooLong != null) {
                        outcomes.add(Outcome.failed(r, key, cmd, tooLong));
                        continue;
                    }
                    if (!idnumber.isEmpty()) {
                        long self = cohort == null ? -1 : cohort.id();
                        boolean clash = cohorts.by(c, "idnumber", Set.of(idnumber)).getOrDefault(idnumber, List.of()).stream().anyMatch(x -> x.id() != self);
                        if (clash) {
                            outcomes.add(Outcome.failed(r, key, cmd, "another cohort already has idnumber " + idnumber));
                            continue;
                        }
                    }
                    long cohortId;
                    if (cohort == null) {
                        if (!settings.autocreate()) {
                            outcomes.add(Outcome.failed(r, key, cmd, "no cohort with " + settings.identifier() + " " + keyValue + " (cohorts.autocreate is off)"));
                            continue;
                        }
                        if (settings.identifier().equals("id")) {
                            // Moodle picks a new cohort's id: creating one would never match the line's cid
                            outcomes.add(Outcome.failed(r, key, cmd, "no cohort with id " + keyValue
                                    + ": cohorts can only be created from files keyed by idnumber or name (cohorts.identifier)"));
                            continue;
                        }
                        cohortId = cohorts.create(c, contextId, name, idnumber, description, component, now);
                        done.add("cohort created");
                        type = OutcomeType.CREATED;
                    } else {
                        cohortId = cohort.id();
                        long newContext = category.isEmpty() ? cohort.contextId() : contextId;
                        if (!cohort.name().equals(name) || !cohort.idnumber().equals(idnumber) || !cohort.description().equals(description)
                                || cohort.contextId() != newContext) {
                            cohorts.update(c, cohort, newContext, name, idnumber, description, now);
                            done.add("cohort updated");
                            type = OutcomeType.UPDATED;
                        }
                    }
                    if (user != null && cohorts.addMember(c, cohortId, user.id(), now)) {
                        changedCohorts.add(cohortId);
                        done.add(user.username() + " added");
                        type = type == OutcomeType.UNCHANGED ? OutcomeType.UPDATED : type;
                    }
                }
                case "del" -> {
                    if (cohort == null) {
                        done.add("no such cohort");
                    } else if (user != null) {
                        if (cohorts.removeMember(c, cohort.id(), user.id())) {
                            changedCohorts.add(cohort.id());
                            done.add(user.username() + " removed");
                            type = OutcomeType.DELETED;
                        }
                    } else {
                        cohorts.delete(c, cohort.id(), now);
                        done.add("cohort " + cohort.name() + " deleted with its cohort enrolments");
                        type = OutcomeType.DELETED;
                    }
                }
                default -> {
                    if (cohort == null) {
                        outcomes.add(Outcome.failed(r, key, cmd, "no cohort with " + settings.identifier() + " " + keyValue));
                        continue;
                    }
                    int left = cohorts.free(c, cohort.id());
                    if (left > 0) {
                        changedCohorts.add(cohort.id());
                        done.add(left + " members removed");
                        type = OutcomeType.UPDATED;
                    }
                }
            }
            outcomes.add(new Outcome(r, key, cmd, type, String.join(", ", done)));
        }
        // the courses bound to a cohort follow its members at once, as enrol_cohort's observers would
        CohortLinks links = new CohortLinks(db);
        for (CohortLinks.Instance instance : links.boundTo(c, changedCohorts)) {
            links.sync(c, instance, cohortOf(c, instance), links.courseContext(c, instance.courseId()), ctx.site(), now);
        }
        return outcomes;
    }

    /**
     * The users feed's cohort / cohortid columns (tool_sync §2.1.4): the cohort named is found by
     * name (created in the system context when missing, with cohortid as its idnumber) and the
     * user added; the courses bound to it follow at once. Returns what was done, or throws
     * LineRefusedException when the cohort cannot take the user.
     */
    String joinCohort(Connection c, SiteSettings site, long userId, String name, String idnumber, long now) throws SQLException {
        List<MoodleCohorts.Cohort> found = cohorts.by(c, "name", Set.of(name)).getOrDefault(name, List.of());
        String done = "";
        long cohortId;
        if (found.isEmpty()) {
            String tooLong = CohortFieldLimits.problem(name, idnumber, "");
            if (tooLong != null) {
                throw new LineRefusedException("cohort: " + tooLong);
            }
            if (!idnumber.isEmpty() && !cohorts.by(c, "idnumber", Set.of(idnumber)).getOrDefault(idnumber, List.of()).isEmpty()) {
                throw new LineRefusedException("cohort: another cohort already has idnumber " + idnumber);
            }
            cohortId = cohorts.create(c, org.moodlesync.moodle.Contexts.SYSTEM_CONTEXT_ID, name, idnumber, "", "", now);
            done = "cohort " + name + " created, ";
        } else {
            MoodleCohorts.Cohort co = found.get(0);
            if (!co.component().isEmpty()) {
                throw new LineRefusedException("cohort " + name + " belongs to " + co.component() + ": only that plugin changes it");
            }
            cohortId = co.id();
        }
        if (!cohorts.addMember(c, cohortId, userId, now)) {
            return done;
        }
        CohortLinks links = new CohortLinks(db);
        for (CohortLinks.Instance instance : links.boundTo(c, Set.of(cohortId))) {
            links.sync(c, instance, cohortId, links.courseContext(c, instance.courseId()), site, now);
        }
        return done + "added to cohort " + name;
    }

    private long cohortOf(Connection c, CohortLinks.Instance instance) throws SQLException {
        try (var ps = c.prepareStatement("SELECT customint1 FROM " + db.table("enrol") + " WHERE id = ?")) {
            ps.setLong(1, instance.id());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ------------------------------------------------------------------ cohortscourses.csv

    private static final Set<String> BINDING_COMMANDS = Set.of("add", "del", "restore", "fulldel");

    public List<Outcome> bindings(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<CsvRecord> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = "cohort=" + r.text("cohort").trim() + " course=" + r.text("course").trim();
            String cmd = cmdOf(r);
            String enrol = r.text("enrol").trim().toLowerCase(Locale.ROOT);
            String problem = r.readError() != null ? r.readError()
                    : r.text("cohort").isBlank() || r.text("course").isBlank() ? "cohort and course must both be given"
                    : !BINDING_COMMANDS.contains(cmd) ? "cmd must be add, del, restore or fulldel, not \"" + r.text("cmd") + "\""
                    : !enrol.isEmpty() && !enrol.equals("cohort") ? "enrol must be cohort (the method that binds cohorts), not \"" + r.text("enrol") + "\""
                    : cmd.equals("add") && r.text("role").trim().equals("*") ? "add needs one role, not *"
                    : dateProblem(r, "enrolstart", ctx) != null ? dateProblem(r, "enrolstart", ctx) : dateProblem(r, "enrolend", ctx);
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, cmd, problem));
            } else {
                lines.add(r);
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, r -> Outcome.failed(r, "cohort=" + r.text("cohort").trim() + " course=" + r.text("course").trim(),
                cmdOf(r), ""), (c, ls) -> applyBindings(c, ctx, ls)));
        return outcomes;
    }

    private static String dateProblem(CsvRecord r, String column, FileContext ctx) {
        if (r.text(column).isBlank()) {
            return null;
        }
        try {
            DateValues.parse(column, r.text(column), ctx.site().zone());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private List<Outcome> applyBindings(Connection c, FileContext ctx, List<CsvRecord> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        org.moodlesync.moodle.Roles roles = org.moodlesync.moodle.Roles.load(c, db);
        org.moodlesync.moodle.MoodleCourses courses = new org.moodlesync.moodle.MoodleCourses(db);
        CohortLinks links = new CohortLinks(db);
        List<Outcome> outcomes = new ArrayList<>();
        for (CsvRecord r : lines) {
            String key = "cohort=" + r.text("cohort").trim() + " course=" + r.text("course").trim();
            String cmd = cmdOf(r);
            List<MoodleCohorts.Cohort> cohort = cohorts.by(c, settings.identifier(), Set.of(r.text("cohort").trim())).getOrDefault(r.text("cohort").trim(), List.of());
            List<org.moodlesync.moodle.Course> course = courses.by(c, settings.courseIdentifier(), Set.of(r.text("course").trim()))
                    .getOrDefault(r.text("course").trim(), List.of());
            String roleName = r.text("role").trim().isEmpty() ? "student" : r.text("role").trim();
            Long roleId = roleName.equals("*") ? null : roles.id(roleName).orElse(-1L);
            String problem = cohort.size() != 1 ? "no single cohort with " + settings.identifier() + " " + r.text("cohort").trim()
                    : course.size() != 1 ? "no single course with " + settings.courseIdentifier() + " " + r.text("course").trim()
                    : roleId != null && roleId < 0 ? "there is no role " + roleName
                    : roleId != null && !roles.assignableAt(roleId, org.moodlesync.moodle.ContextLevel.COURSE) ? "role " + roleName + " cannot be assigned in a course" : null;
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, cmd, problem));
                continue;
            }
            MoodleCohorts.Cohort co = cohort.get(0);
            org.moodlesync.moodle.Course target = course.get(0);
            List<CohortLinks.Instance> existing = links.instances(c, target.id(), co.id(), roleId);
            List<String> done = new ArrayList<>();
            OutcomeType type = OutcomeType.UNCHANGED;
            switch (cmd) {
                case "add" -> {
                    CohortLinks.Instance instance;
                    if (existing.isEmpty()) {
                        long group = 0;
                        if (!r.text("makegroup").isBlank() && !r.text("makegroup").trim().equals("0")) {
                            // enrol_cohort's "create a new group" (tool_sync stored group id 1: bug 44)
                            Map.Entry<Long, String> made = links.createGroupFor(c, target.id(), co.name(), now);
                            group = made.getKey();
                            done.add("group " + made.getValue() + " created");
                        }
                        long start = r.text("enrolstart").isBlank() ? 0 : DateValues.parse("enrolstart", r.text("enrolstart"), ctx.site().zone());
                        long end = r.text("enrolend").isBlank() ? 0 : DateValues.parse("enrolend", r.text("enrolend"), ctx.site().zone());
                        long id = links.create(c, target.id(), co.id(), roleId, group, start, end, now);
                        instance = new CohortLinks.Instance(id, target.id(), 0, roleId, group);
                        done.add("cohort enrolment created");
                        type = OutcomeType.CREATED;
                    } else {
                        CohortLinks.Instance old = existing.get(0);
                        if (old.status() != 0) {
                            links.setStatus(c, old.id(), 0, now);
                            done.add("cohort enrolment enabled again");
                            type = OutcomeType.UPDATED;
                        }
                        instance = new CohortLinks.Instance(old.id(), old.courseId(), 0, old.roleId(), old.groupId());
                    }
                    int synced = links.sync(c, instance, co.id(), target.contextId(), ctx.site(), now);
                    if (synced > 0) {
                        done.add(synced + " enrolments, roles and memberships brought in line");
                        type = type == OutcomeType.UNCHANGED ? OutcomeType.UPDATED : type;
                    }
                }
                case "del", "restore" -> {
                    int status = cmd.equals("del") ? 1 : 0;
                    for (CohortLinks.Instance i : existing) {
                        if (i.status() != status) {
                            links.setStatus(c, i.id(), status, now);
                            int synced = links.sync(c, new CohortLinks.Instance(i.id(), i.courseId(), status, i.roleId(), i.groupId()), co.id(),
                                    target.contextId(), ctx.site(), now);
                            done.add((status == 1 ? "cohort enrolment disabled" : "cohort enrolment enabled") + (synced > 0 ? ", " + synced + " rows brought in line" : ""));
                            type = OutcomeType.UPDATED;
                        }
                    }
                }
                default -> {
                    for (CohortLinks.Instance i : existing) {
                        links.delete(c, i.id(), now);
                        done.add("cohort enrolment removed with what it enrolled");
                        type = OutcomeType.DELETED;
                    }
                }
            }
            outcomes.add(new Outcome(r, key, cmd, type, done.isEmpty() ? (existing.isEmpty() && !cmd.equals("add") ? "no such cohort enrolment" : "") : String.join(", ", done)));
        }
        return outcomes;
    }
}
