package org.moodlesync.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.moodlesync.moodle.Category;
import org.moodlesync.moodle.CategoryPath;
import org.moodlesync.moodle.CategoryTree;
import org.moodlesync.moodle.Course;
import org.moodlesync.moodle.CourseFormats;
import org.moodlesync.moodle.EnrolInstances;
import org.moodlesync.moodle.MoodleCategories;
import org.moodlesync.moodle.MoodleCourses;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.NewCourse;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.pipeline.Chunk;
import org.moodlesync.pipeline.CsvRecord;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;

/**
 * The courses feeds (tool_sync §2.3 and §2.6): create and update courses and their categories
 * from {@code uploadcourses.csv}, and check that the courses of {@code courses.csv} exist.
 */
public final class CoursesFeed implements FeedProcessor {
    public static final String UPSERT = "upsert";
    public static final String CHECK = "check";
    private static final String FILE_CONTEXT = "courses.file-context";

    private final MoodleDatabase db;
    private final MoodleCourses courses;
    private final MoodleCategories categories;
    private final CoursesFeedSettings settings;
    private final Clock clock;

    public CoursesFeed(MoodleDatabase db, CoursesFeedSettings settings, Clock clock) {
        this.db = db;
        this.courses = new MoodleCourses(db);
        this.categories = new MoodleCategories(db);
        this.settings = settings;
        this.clock = clock;
    }

    private record FileContext(SiteSettings site, org.moodlesync.moodle.SchemaInfo schema, CourseLineParser parser) {
    }

    @Override
    public void prepare(FeedRun run) {
        MoodleSite site = MoodleSite.load(db);
        for (String column : run.header().columns()) {
            if (CoursesFeedDefinitions.IGNORED.contains(column)) {
                run.note("column " + column + " is read and ignored: Moodle sets it itself");
            }
        }
        if (run.feed().equals("courses-meta") && !site.settings().enrolPluginEnabled("meta")) {
            throw new org.moodlesync.pipeline.FileRejectedException(run.source() + ": the \"Course meta link\" enrolment method (enrol_meta) is not enabled"
                    + " on this site: enable it in Moodle (Site administration > Plugins > Enrolments) before feeding meta links");
        }
        if (run.feed().equals("courses-reset")) {
            if (!run.header().has(settings.identity())) {
                throw new org.moodlesync.pipeline.FileRejectedException(run.source() + ": a resetcourses.csv file needs a " + settings.identity()
                        + " column (courses.identity) to find the courses");
            }
            List<String> moodleOnly = run.header().columns().stream().filter(CoursesFeedDefinitions.RESET_BY_MOODLE_ONLY::contains).sorted().toList();
            if (!moodleOnly.isEmpty()) {
                run.note("moodle-sync does not reset " + String.join(", ", moodleOnly) + ": that data lives in tables only Moodle's course reset can clear;"
                        + " lines asking for it say so");
            }
        }
        run.attribute(FILE_CONTEXT, () -> new FileContext(site.settings(), site.schema(), new CourseLineParser(settings, site.settings())));
    }

    private static FileContext context(FeedRun run) {
        return run.attribute(FILE_CONTEXT, () -> {
            throw new IllegalStateException("the courses feed was not prepared for " + run.source());
        });
    }

    // ------------------------------------------------------------------ courses.csv

    /** courses.csv: found or not found, with the found course's names; nothing is written. */
    public List<Outcome> check(Chunk chunk) throws SQLException {
        Map<String, CsvRecord> wanted = new LinkedHashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String value = r.text("course").trim();
            String key = settings.identity() + "=" + value;
            if (r.readError() != null || value.isEmpty()) {
                outcomes.add(Outcome.failed(r, key, CHECK, r.readError() != null ? r.readError() : "no course identifier on this line"));
            } else {
                wanted.put(r.line() + ":" + value, r);
            }
        }
        Set<String> values = new HashSet<>();
        wanted.values().forEach(r -> values.add(r.text("course").trim()));
        Map<String, List<Course>> found = db.read(c -> courses.by(c, settings.identity(), values));
        for (CsvRecord r : wanted.values()) {
            String value = r.text("course").trim();
            String key = settings.identity() + "=" + value;
            List<Course> matches = found.getOrDefault(value, List.of());
            if (matches.isEmpty()) {
                outcomes.add(Outcome.failed(r, key, CHECK, "no course with " + settings.identity() + " " + value));
            } else {
                Course co = matches.get(0);
                outcomes.add(new Outcome(r, key, CHECK, OutcomeType.UNCHANGED, "found: id " + co.id() + ", shortname " + co.shortname()
                        + ", fullname " + co.text("fullname") + (co.text("idnumber").isEmpty() ? "" : ", idnumber " + co.text("idnumber"))
                        + (matches.size() > 1 ? " (and " + (matches.size() - 1) + " more with this " + settings.identity() + ")" : "")));
            }
        }
        return outcomes;
    }

    // ------------------------------------------------------------------ deletecourses.csv

    public static final String DELETE = "delete";

    /** A line of deletecourses.csv: the course it names. */
    private record Doomed(CsvRecord record, String key, String value) {
    }

    /**
     * deletecourses.csv: courses holding nothing but what Moodle adds by itself are deleted
     * completely; a course holding activities is hidden and moved to the holding category
     * (courses.delete.holding-category) instead of being half-deleted, for an admin to finish
     * with Moodle's own tools.
     */
    public List<Outcome> delete(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<Doomed> doomed = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String value = r.text("course").trim();
            String key = settings.identity() + "=" + value;
            if (r.readError() != null || value.isEmpty()) {
                outcomes.add(Outcome.failed(r, key, DELETE, r.readError() != null ? r.readError() : "no course identifier on this line"));
                continue;
            }
            long earlier = run.firstSeenAt(key, r.line());
            if (earlier >= 0) {
                outcomes.add(Outcome.failed(r, key, DELETE, "the same course is already on line " + earlier + " of this file"));
                continue;
            }
            doomed.add(new Doomed(r, key, value));
        }
        outcomes.addAll(ChunkApplier.apply(db, run, doomed, d -> Outcome.failed(d.record(), d.key(), DELETE, ""),
                (c, ds) -> deleteCourses(c, ctx, ds)));
        return outcomes;
    }

    private List<Outcome> deleteCourses(Connection c, FileContext ctx, List<Doomed> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        CategoryTree tree = categories.load(c);
        Set<String> values = new HashSet<>();
        lines.forEach(d -> values.add(d.value()));
        Map<String, List<Course>> found = courses.by(c, settings.identity(), values);
        long[] ids = found.values().stream().flatMap(List::stream).mapToLong(Course::id).toArray();
        org.moodlesync.moodle.CourseDeletion deletion = new org.moodlesync.moodle.CourseDeletion(db, ctx.schema());
        Map<Long, Integer> activities = deletion.activityCounts(c, ids);
        List<Course> toDelete = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        Category holding = null;
        for (Doomed d : lines) {
            List<Course> matches = found.getOrDefault(d.value(), List.of());
            if (matches.size() != 1) {
                outcomes.add(Outcome.failed(d.record(), d.key(), DELETE, matches.isEmpty() ? "no course with " + settings.identity() + " " + d.value()
                        : settings.identity() + " " + d.value() + " matches " + matches.size() + " courses: fix them in Moodle first"));
                continue;
            }
            Course co = matches.get(0);
            int count = activities.getOrDefault(co.id(), 0);
            if (count == 0) {
                toDelete.add(co);
                outcomes.add(new Outcome(d.record(), d.key(), DELETE, OutcomeType.DELETED, "course " + co.shortname() + " (id " + co.id() + ") deleted"));
                continue;
            }
            if (holding == null) {
                holding = categories.ensurePath(c, tree, CategoryPath.parse(settings.holdingCategory()), false, now);
            }
            String why = "holds " + count + (count == 1 ? " activity" : " activities") + ", which only Moodle can delete";
            if (co.category() == holding.id() && Long.valueOf(0).equals(co.values().get("visible"))) {
                outcomes.add(new Outcome(d.record(), d.key(), DELETE, OutcomeType.UNCHANGED, "course " + why + "; already hidden in " + holding.name()));
                continue;
            }
            courses.update(c, Map.of(co.id(), Map.of("visible", 0L, "visibleold", 0L)), now);
            if (co.category() != holding.id()) {
                courses.move(c, categories, tree, co, holding.id(), now);
            }
            outcomes.add(new Outcome(d.record(), d.key(), DELETE, OutcomeType.UPDATED, "not deleted: the course " + why + "; it is hidden and moved to the category "
                    + holding.name() + " for an admin to delete it in Moodle"));
        }
        deletion.delete(c, courses, categories, tree, toDelete);
        return outcomes;
    }

    // ------------------------------------------------------------------ metacourses.csv

    public static final String META = "meta";

    /**
     * metacourses.csv: {@code add} creates or re-enables the meta link, {@code del} disables it
     * (tool_sync's del did nothing: bug 33); both then bring the meta course's enrolments in line
     * as Moodle's meta sync would.
     */
    public List<Outcome> meta(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<CsvRecord> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = "meta=" + r.text("meta").trim() + " master=" + r.text("master").trim();
            String cmd = r.text("cmd").trim().toLowerCase(java.util.Locale.ROOT);
            if (r.readError() != null) {
                outcomes.add(Outcome.failed(r, key, META, r.readError()));
            } else if (r.text("master").isBlank() || r.text("meta").isBlank()) {
                outcomes.add(Outcome.failed(r, key, META, "master and meta must both name a course"));
            } else if (r.text("master").trim().equals(r.text("meta").trim())) {
                outcomes.add(Outcome.failed(r, key, META, "a course cannot be its own meta course"));
            } else if (!cmd.isEmpty() && !cmd.equals("add") && !cmd.equals("del") && !cmd.equals("delete")) {
                outcomes.add(Outcome.failed(r, key, META, "cmd must be add or del, not \"" + r.text("cmd") + "\""));
            } else if (run.firstSeenAt(key, r.line()) >= 0) {
                outcomes.add(Outcome.failed(r, key, META, "the same link is already on an earlier line of this file"));
            } else {
                lines.add(r);
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, r -> Outcome.failed(r, "meta=" + r.text("meta").trim() + " master=" + r.text("master").trim(), META, ""),
                (c, ls) -> linkCourses(c, ctx, ls)));
        return outcomes;
    }

    private List<Outcome> linkCourses(Connection c, FileContext ctx, List<CsvRecord> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        Set<String> values = new HashSet<>();
        lines.forEach(r -> {
            values.add(r.text("master").trim());
            values.add(r.text("meta").trim());
        });
        Map<String, List<Course>> found = courses.by(c, settings.identity(), values);
        org.moodlesync.moodle.MetaLinks links = new org.moodlesync.moodle.MetaLinks(db);
        List<Outcome> outcomes = new ArrayList<>();
        for (CsvRecord r : lines) {
            String key = "meta=" + r.text("meta").trim() + " master=" + r.text("master").trim();
            List<Course> master = found.getOrDefault(r.text("master").trim(), List.of());
            List<Course> meta = found.getOrDefault(r.text("meta").trim(), List.of());
            if (master.size() != 1 || meta.size() != 1) {
                String which = master.size() != 1 ? "master " + r.text("master").trim() : "meta " + r.text("meta").trim();
                outcomes.add(Outcome.failed(r, key, META, "no single course with " + settings.identity() + " " + which.substring(which.indexOf(' ') + 1)
                        + " (" + which.substring(0, which.indexOf(' ')) + ")"));
                continue;
            }
            Course parent = master.get(0);
            Course child = meta.get(0);
            boolean add = !r.text("cmd").trim().toLowerCase(java.util.Locale.ROOT).startsWith("del");
            long[] existing = links.instance(c, child.id(), parent.id());
            if (add) {
                long instance = links.enable(c, child.id(), parent.id(), now);
                int synced = links.sync(c, instance, true, child.contextId(), parent.id(), parent.contextId(), ctx.site(), now);
                String what = existing == null ? "meta link created" : existing[1] != 0 ? "meta link enabled again" : "meta link already there";
                OutcomeType type = existing == null ? OutcomeType.CREATED : existing[1] != 0 || synced > 0 ? OutcomeType.UPDATED : OutcomeType.UNCHANGED;
                outcomes.add(new Outcome(r, key, "add", type, what + (synced > 0 ? "; " + synced + " enrolments and roles brought in line" : "")));
            } else if (existing == null || existing[1] != 0) {
                outcomes.add(new Outcome(r, key, "del", OutcomeType.UNCHANGED, existing == null ? "no meta link to disable" : "meta link already disabled"));
            } else {
                links.setStatus(c, existing[0], 1, now);
                int synced = links.sync(c, existing[0], false, child.contextId(), parent.id(), parent.contextId(), ctx.site(), now);
                outcomes.add(new Outcome(r, key, "del", OutcomeType.UPDATED, "meta link disabled" + (synced > 0 ? "; " + synced + " enrolments and roles brought in line" : "")));
            }
        }
        return outcomes;
    }

    // ------------------------------------------------------------------ resetcourses.csv

    public static final String RESET = "reset";
    private static final Set<String> NO = Set.of("", "0", "no", "none", "n");

    /** resetcourses.csv: unenrol by role, local role assignments, groups and groupings; the rest is Moodle's to reset and each line says so. */
    public List<Outcome> reset(Chunk chunk) {
        FeedRun run = chunk.run();
        List<Outcome> outcomes = new ArrayList<>();
        List<CsvRecord> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = settings.identity() + "=" + r.text(settings.identity()).trim();
            if (r.readError() != null || r.text(settings.identity()).isBlank()) {
                outcomes.add(Outcome.failed(r, key, RESET, r.readError() != null ? r.readError() : "no " + settings.identity() + " on this line"));
            } else if (run.firstSeenAt(key, r.line()) >= 0) {
                outcomes.add(Outcome.failed(r, key, RESET, "the same course is already on an earlier line of this file"));
            } else {
                lines.add(r);
            }
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, r -> Outcome.failed(r, settings.identity() + "=" + r.text(settings.identity()).trim(), RESET, ""),
                this::resetCourses));
        return outcomes;
    }

    private List<Outcome> resetCourses(Connection c, List<CsvRecord> lines) throws SQLException {
        long now = clock.instant().getEpochSecond();
        Set<String> values = new HashSet<>();
        lines.forEach(r -> values.add(r.text(settings.identity()).trim()));
        Map<String, List<Course>> found = courses.by(c, settings.identity(), values);
        org.moodlesync.moodle.Roles roles = org.moodlesync.moodle.Roles.load(c, db);
        org.moodlesync.moodle.CourseReset reset = new org.moodlesync.moodle.CourseReset(db);
        List<Outcome> outcomes = new ArrayList<>();
        for (CsvRecord r : lines) {
            String value = r.text(settings.identity()).trim();
            String key = settings.identity() + "=" + value;
            List<Course> matches = found.getOrDefault(value, List.of());
            if (matches.size() != 1) {
                outcomes.add(Outcome.failed(r, key, RESET, matches.isEmpty() ? "no course with " + settings.identity() + " " + value
                        : settings.identity() + " " + value + " matches " + matches.size() + " courses"));
                continue;
            }
            Course co = matches.get(0);
            String problem = resetProblem(r, roles);
            if (problem != null) {
                outcomes.add(Outcome.failed(r, key, RESET, problem));
                continue;
            }
            List<String> done = new ArrayList<>();
            String rolesCell = r.text("roles").trim();
            if (!NO.contains(rolesCell.toLowerCase(java.util.Locale.ROOT))) {
                List<Long> ids = rolesCell.equalsIgnoreCase("all") ? null
                        : java.util.Arrays.stream(rolesCell.split("[\\s,]+")).map(n -> roles.id(n).orElseThrow()).toList();
                count(done, "enrolments and roles removed", reset.unenrolUsers(c, co, ids, now));
            }
            String local = r.text("local_roles").trim().toLowerCase(java.util.Locale.ROOT);
            if (local.equals("all") || local.equals("roles")) {
                count(done, "local role assignments removed", reset.removeLocalRoleAssignments(c, co));
            }
            String groups = r.text("groups").trim().toLowerCase(java.util.Locale.ROOT);
            if (groups.equals("all") || groups.equals("groups")) {
                count(done, "groups and memberships removed", reset.deleteGroups(c, co.id()));
            } else if (groups.equals("members")) {
                count(done, "group memberships removed", reset.removeGroupMembers(c, co.id()));
            }
            String groupings = r.text("groupings").trim().toLowerCase(java.util.Locale.ROOT);
            if (groupings.equals("all") || groupings.equals("groupings")) {
                count(done, "groupings removed", reset.deleteGroupings(c, co.id()));
            } else if (groupings.equals("members")) {
                count(done, "grouping memberships removed", reset.emptyGroupings(c, co.id()));
            }
            List<String> notReset = new ArrayList<>();
            for (String column : r.header().columns()) {
                if (CoursesFeedDefinitions.RESET_BY_MOODLE_ONLY.contains(column) && !NO.contains(r.text(column).trim().toLowerCase(java.util.Locale.ROOT))) {
                    notReset.add(column);
                }
            }
            if (local.equals("all") || local.equals("overrides")) {
                notReset.add("local_roles overrides");
            }
            String notice = notReset.isEmpty() ? "" : (done.isEmpty() ? "" : "; ") + "NOT reset, only Moodle's course reset can: " + String.join(", ", notReset);
            outcomes.add(new Outcome(r, key, RESET, done.isEmpty() ? OutcomeType.UNCHANGED : OutcomeType.UPDATED, String.join(", ", done) + notice));
        }
        return outcomes;
    }

    private static void count(List<String> done, String what, int rows) {
        if (rows > 0) {
            done.add(rows + " " + what);
        }
    }

    /** A reset line's values that mean nothing: unknown roles, unknown group options. */
    private static String resetProblem(CsvRecord r, org.moodlesync.moodle.Roles roles) {
        String rolesCell = r.text("roles").trim();
        if (!NO.contains(rolesCell.toLowerCase(java.util.Locale.ROOT)) && !rolesCell.equalsIgnoreCase("all")) {
            for (String name : rolesCell.split("[\\s,]+")) {
                if (roles.id(name).isEmpty()) {
                    return "roles: there is no role " + name;
                }
            }
        }
        for (String column : List.of("groups", "groupings")) {
            String v = r.text(column).trim().toLowerCase(java.util.Locale.ROOT);
            if (!NO.contains(v) && !Set.of("all", column, "members").contains(v)) {
                return column + " must be all, " + column + ", members or none, not \"" + r.text(column) + "\"";
            }
        }
        String local = r.text("local_roles").trim().toLowerCase(java.util.Locale.ROOT);
        if (!NO.contains(local) && !Set.of("all", "roles", "overrides").contains(local)) {
            return "local_roles must be all, roles, overrides or none, not \"" + r.text("local_roles") + "\"";
        }
        return null;
    }

    // ------------------------------------------------------------------ uploadcourses.csv

    public List<Outcome> upsert(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<CourseLine> lines = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            CourseLine line;
            try {
                line = ctx.parser().parse(r);
            } catch (CourseLineParser.Invalid e) {
                outcomes.add(Outcome.failed(r, e.key, UPSERT, e.getMessage()));
                continue;
            }
            long earlier = run.firstSeenAt(line.key(), r.line());
            if (earlier < 0 && !line.key().equals("shortname=" + line.shortname())) {
                earlier = run.firstSeenAt("shortname=" + line.shortname(), r.line());
            }
            if (earlier >= 0) {
                outcomes.add(Outcome.failed(r, line.key(), UPSERT, "the same course is already on line " + earlier + " of this file"));
                continue;
            }
            lines.add(line);
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines, l -> Outcome.failed(l.record(), l.key(), UPSERT, ""),
                (c, ls) -> upsertLines(c, ctx, ls)));
        return outcomes;
    }

    private static final class Decision {
        final CourseLine line;
        final List<long[]> teachers = new ArrayList<>(); // {userId, roleId}
        Course template;
        Course existing;
        Category category;
        String failure;
        final Map<String, Object> changes = new LinkedHashMap<>();
        final List<String> changed = new ArrayList<>();

        Decision(CourseLine line) {
            this.line = line;
        }
    }

    private List<Outcome> upsertLines(Connection c, FileContext ctx, List<CourseLine> lines) throws SQLException {
        SiteSettings site = ctx.site();
        long now = clock.instant().getEpochSecond();
        CategoryTree tree = categories.load(c);
        Set<String> identities = new HashSet<>();
        Set<String> shortnames = new HashSet<>();
        for (CourseLine l : lines) {
            identities.add(l.identityValue().isEmpty() ? l.shortname() : l.identityValue());
            shortnames.add(l.shortname());
        }
        String identity = settings.identity();
        Map<String, List<Course>> byIdentity = courses.by(c, identity, identities);
        Map<String, List<Course>> byShortname = identity.equals("shortname") ? byIdentity : courses.by(c, "shortname", shortnames);

        List<Decision> decisions = new ArrayList<>();
        for (CourseLine l : lines) {
            Decision d = new Decision(l);
            decisions.add(d);
            String value = l.identityValue().isEmpty() ? l.shortname() : l.identityValue();
            List<Course> found = l.identityValue().isEmpty() && !identity.equals("shortname")
                    ? byShortname.getOrDefault(l.shortname(), List.of()) : byIdentity.getOrDefault(value, List.of());
            if (found.size() > 1) {
                d.failure = identity + " " + value + " matches " + found.size() + " courses: fix them in Moodle first";
                continue;
            }
            d.existing = found.isEmpty() ? null : found.get(0);
            if (d.existing == null && identity.equals("id") && !l.identityValue().isEmpty()) {
                // a course id is Moodle's to give: an id that matches nothing is a typo, not a new course
                d.failure = "no course with id " + l.identityValue();
                continue;
            }
            // tool_sync's shortname collision check: shortnames are unique in Moodle (its API checks, not the database)
            for (Course other : byShortname.getOrDefault(l.shortname(), List.of())) {
                if (d.existing == null || other.id() != d.existing.id()) {
                    d.failure = "shortname collision: course " + l.shortname() + " already exists (id " + other.id() + ")"
                            + (identity.equals("shortname") ? "" : " with another " + identity);
                }
            }
            if (d.failure != null) {
                continue;
            }
            if (d.existing != null && !settings.forceUpdate()) {
                continue;
            }
            try {
                d.category = resolveCategory(c, tree, l, d.existing, now);
            } catch (IllegalArgumentException e) {
                d.failure = e.getMessage();
            }
        }
        resolveTemplates(c, decisions);
        resolveTeachers(c, ctx, decisions);
        return write(c, site, tree, decisions, now);
    }

    /** The template column names an existing course by shortname; used only when a course is created. */
    private void resolveTemplates(Connection c, List<Decision> decisions) throws SQLException {
        Set<String> names = new HashSet<>();
        for (Decision d : decisions) {
            if (d.failure == null && d.existing == null && d.line.template() != null) {
                names.add(d.line.template());
            }
        }
        if (names.isEmpty()) {
            return;
        }
        Map<String, List<Course>> templates = courses.by(c, "shortname", names);
        for (Decision d : decisions) {
            if (d.failure == null && d.existing == null && d.line.template() != null) {
                List<Course> t = templates.getOrDefault(d.line.template(), List.of());
                if (t.isEmpty()) {
                    d.failure = "template course " + d.line.template() + " does not exist";
                } else {
                    d.template = t.get(0);
                }
            }
        }
    }

    /** teacherN_account/teacherN_role: the users must exist and the roles must be assignable in a course, or the line fails before anything is written. */
    private void resolveTeachers(Connection c, FileContext ctx, List<Decision> decisions) throws SQLException {
        SiteSettings site = ctx.site();
        Set<String> usernames = new HashSet<>();
        for (Decision d : decisions) {
            if (d.existing == null || settings.forceUpdate()) {
                d.line.teachers().forEach(t -> usernames.add(t[0]));
            }
        }
        if (usernames.isEmpty()) {
            return;
        }
        Map<String, org.moodlesync.moodle.Account> users = new org.moodlesync.moodle.MoodleUsers(db, ctx.schema())
                .byUsername(c, site.mnetLocalHostId(), usernames);
        org.moodlesync.moodle.Roles roles = org.moodlesync.moodle.Roles.load(c, db);
        for (Decision d : decisions) {
            if (d.existing != null && !settings.forceUpdate()) {
                continue; // the line changes nothing, its teachers included
            }
            for (String[] t : d.line.teachers()) {
                if (d.failure != null) {
                    break;
                }
                org.moodlesync.moodle.Account user = users.get(t[0]);
                java.util.Optional<Long> role = roles.id(t[1]);
                if (user == null || user.deleted()) {
                    d.failure = t[2] + ": no account with username " + t[0];
                } else if (role.isEmpty()) {
                    d.failure = t[2] + ": there is no role " + t[1];
                } else if (!roles.assignableAt(role.get(), org.moodlesync.moodle.ContextLevel.COURSE)) {
                    d.failure = t[2] + ": role " + t[1] + " cannot be assigned in a course";
                } else {
                    d.teachers.add(new long[] {user.id(), role.get()});
                }
            }
        }
    }

    /**
     * Teachers are enrolled through the course's manual enrolment method with their role, so they
     * are participants (tool_sync only assigned a role: bug 29). Returns the courses whose teachers changed.
     */
    private Set<Long> enrolTeachers(Connection c, SiteSettings site, Map<Decision, Long> courseOf, long now) throws SQLException {
        org.moodlesync.moodle.MoodleEnrolments enrolments = new org.moodlesync.moodle.MoodleEnrolments(db);
        long[] ids = courseOf.values().stream().mapToLong(Long::longValue).toArray();
        Map<Long, Long> manual = enrolments.manualInstances(c, ids);
        Map<Long, Long> contextsOf = enrolments.courseContexts(c, ids);
        long modifier = site.actingAdminId();
        Set<Long> changed = new HashSet<>();
        for (Map.Entry<Decision, Long> e : courseOf.entrySet()) {
            Long instance = manual.get(e.getValue());
            if (instance == null) {
                // thrown, not reported: the line's course must not stay created without its teachers
                throw new LineRefusedException("course " + e.getKey().line.shortname() + " has no enabled manual enrolment method to enrol its teachers through");
            }
            List<org.moodlesync.moodle.Enrolment> list = new ArrayList<>();
            for (long[] t : e.getKey().teachers) {
                list.add(new org.moodlesync.moodle.Enrolment(instance, t[0], t[1], e.getValue(), contextsOf.get(e.getValue()), 0, 0));
            }
            if (enrolments.enrol(c, list, modifier, now) > 0) {
                changed.add(e.getValue());
            }
        }
        return changed;
    }

    /** The line's category: created along a path when missing; the site's default category when a new course has none. */
    private Category resolveCategory(Connection c, CategoryTree tree, CourseLine l, Course existing, long now) throws SQLException {
        String cell = l.category();
        if (cell == null) {
            return existing != null ? tree.byId(existing.category()).orElseThrow(() -> new IllegalArgumentException(
                    "the course's category " + existing.category() + " does not exist in Moodle")) : tree.defaultCategory();
        }
        switch (settings.categoryIdentifier()) {
            case "idnumber":
                return tree.byIdnumber(cell).orElseThrow(() -> new IllegalArgumentException("no category with idnumber " + cell));
            case "id":
                if (!cell.matches("\\d{1,18}")) {
                    throw new IllegalArgumentException("category \"" + cell + "\" is not a category id");
                }
                return tree.byId(Long.parseLong(cell)).orElseThrow(() -> new IllegalArgumentException("no category with id " + cell));
            default:
                return categories.ensurePath(c, tree, CategoryPath.parse(cell), settings.newCategoriesVisible(), now);
        }
    }

    private List<Outcome> write(Connection c, SiteSettings site, CategoryTree tree, List<Decision> decisions, long now) throws SQLException {
        List<Decision> creates = new ArrayList<>();
        List<NewCourse> newCourses = new ArrayList<>();
        Map<Long, Map<String, Object>> updates = new LinkedHashMap<>();
        EnrolInstances enrol = new EnrolInstances(db);
        Map<Long, Integer> room = new HashMap<>();
        // a category's courses take the sortorders between its own and the next category's
        long maxPerCategory = tree.sortorderStep() - 1;
        List<Long> updated = decisions.stream().filter(d -> d.failure == null && d.existing != null && settings.forceUpdate())
                .map(d -> d.existing.id()).toList();
        Map<Long, Long> automaticEndDates = courses.automaticEndDateSections(c, updated);
        for (Decision d : decisions) {
            if (d.failure != null || (d.existing != null && !settings.forceUpdate())) {
                continue;
            }
            if (d.existing == null) {
                int pending = room.merge(d.category.id(), 1, Integer::sum);
                // the tree holds the current counts; the Category resolved for the line may be an older snapshot
                if (tree.byId(d.category.id()).orElseThrow().coursecount() + pending > maxPerCategory) {
                    d.failure = "category " + d.category.name() + " is full: Moodle keeps at most " + maxPerCategory + " courses in a category";
                    continue;
                }
                creates.add(d);
                newCourses.add(newCourse(c, d, site));
                continue;
            }
            Course co = d.existing;
            for (Map.Entry<String, Object> e : d.line.values().entrySet()) {
                Object stored = co.values().get(e.getKey());
                if (stored != null && !Objects.equals(stored, e.getValue())) {
                    d.changes.put(e.getKey(), e.getValue());
                    d.changed.add(e.getKey());
                }
            }
            Long automaticEnd = automaticEndDates.get(co.id());
            if (automaticEnd != null) {
                // format_weeks::update_end_date() has the last word on a weeks course's end date after every update
                long start = (Long) d.changes.getOrDefault("startdate", co.values().get("startdate"));
                long end = CourseFormats.weeksEndDate(start, automaticEnd.intValue(), site.userZone());
                d.changes.remove("enddate");
                d.changed.remove("enddate");
                if (end != (Long) co.values().get("enddate")) {
                    d.changes.put("enddate", end);
                    d.changed.add("enddate");
                }
            }
            if (d.changes.containsKey("visible")) {
                d.changes.put("visibleold", d.changes.get("visible"));
            }
            if (!d.changes.isEmpty()) {
                updates.put(co.id(), d.changes);
            }
            if (d.category.id() != co.category()) {
                courses.move(c, categories, tree, co, d.category.id(), now);
                d.changed.add("category");
            }
            if (d.line.self() != null && enrol.setEnabled(c, co.id(), "self", d.line.self(), site, now)) {
                d.changed.add("self");
            }
            if (d.line.guest() != null && enrol.setEnabled(c, co.id(), "guest", d.line.guest(), site, now)) {
                d.changed.add("guest");
            }
        }
        courses.update(c, updates, now);
        long[] ids = courses.create(c, categories, tree, newCourses, site, now);

        List<Outcome> outcomes = new ArrayList<>();
        Map<Decision, Long> created = new HashMap<>();
        for (int i = 0; i < creates.size(); i++) {
            created.put(creates.get(i), ids[i]);
        }
        for (Decision d : creates) {
            // a template's methods were copied as they are: the line's self and guest columns still have the last word
            if (d.template != null && d.line.self() != null) {
                enrol.setEnabled(c, created.get(d), "self", d.line.self(), site, now);
            }
            if (d.template != null && d.line.guest() != null) {
                enrol.setEnabled(c, created.get(d), "guest", d.line.guest(), site, now);
            }
        }
        Map<Decision, Long> withTeachers = new LinkedHashMap<>();
        for (Decision d : decisions) {
            boolean applied = d.failure == null && (created.containsKey(d) || (d.existing != null && settings.forceUpdate()));
            if (applied && !d.teachers.isEmpty()) {
                withTeachers.put(d, created.containsKey(d) ? created.get(d) : d.existing.id());
            }
        }
        Set<Long> teachersChanged = withTeachers.isEmpty() ? Set.of() : enrolTeachers(c, site, withTeachers, now);
        for (Decision d : decisions) {
            if (d.existing != null && teachersChanged.contains(d.existing.id())) {
                d.changed.add("teachers");
            }
        }
        for (Decision d : decisions) {
            CsvRecord r = d.line.record();
            if (d.failure != null) {
                outcomes.add(Outcome.failed(r, d.line.key(), UPSERT, d.failure));
            } else if (created.containsKey(d)) {
                outcomes.add(new Outcome(r, d.line.key(), "create", OutcomeType.CREATED, "course " + d.line.shortname() + " created (id "
                        + created.get(d) + ") in " + d.category.name() + (d.teachers.isEmpty() ? "" : ", " + d.teachers.size() + " teacher(s) enrolled")
                        + (d.template == null ? "" : ", from template " + d.template.shortname()
                        + " (its format, sections and enrolment methods; its activities are not copied: use Moodle's course copy for them)")));
            } else if (!settings.forceUpdate()) {
                outcomes.add(new Outcome(r, d.line.key(), "update", OutcomeType.UNCHANGED, "course exists (id " + d.existing.id()
                        + "); courses.force-update is off"));
            } else if (d.changed.isEmpty()) {
                outcomes.add(new Outcome(r, d.line.key(), "update", OutcomeType.UNCHANGED, ""));
            } else {
                outcomes.add(new Outcome(r, d.line.key(), "update", OutcomeType.UPDATED, "changed " + String.join(", ", d.changed)));
            }
        }
        return outcomes;
    }

    /** A new course: the line's values over the site's course defaults (moodlecourse/*), as the course upload tool fills them. */
    private NewCourse newCourse(Connection c, Decision d, SiteSettings site) throws SQLException {
        Map<String, Object> v = new LinkedHashMap<>(d.line.values());
        if (d.template != null) {
            // the template's settings the line does not give; its names, idnumber and dates are its own
            for (String column : MoodleCourses.READ) {
                if (!Set.of("fullname", "shortname", "idnumber", "startdate", "enddate").contains(column)) {
                    v.putIfAbsent(column, d.template.values().get(column));
                }
            }
        }
        v.putIfAbsent("format", site.plugin("moodlecourse", "format", "topics"));
        v.putIfAbsent("idnumber", "");
        v.putIfAbsent("newsitems", Long.parseLong(site.plugin("moodlecourse", "newsitems", "5")));
        v.putIfAbsent("showgrades", Long.parseLong(site.plugin("moodlecourse", "showgrades", "1")));
        v.putIfAbsent("showreports", Long.parseLong(site.plugin("moodlecourse", "showreports", "0")));
        v.putIfAbsent("maxbytes", Long.parseLong(site.plugin("moodlecourse", "maxbytes", "0")));
        v.putIfAbsent("groupmode", Long.parseLong(site.plugin("moodlecourse", "groupmode", "0")));
        v.putIfAbsent("groupmodeforce", Long.parseLong(site.plugin("moodlecourse", "groupmodeforce", "0")));
        v.putIfAbsent("visible", Long.parseLong(site.plugin("moodlecourse", "visible", "1")));
        v.putIfAbsent("lang", site.plugin("moodlecourse", "lang", ""));
        v.putIfAbsent("enablecompletion", Long.parseLong(site.plugin("moodlecourse", "enablecompletion", "1")));
        v.putIfAbsent("showactivitydates", site.longPlugin("moodlecourse", "showactivitydates", 1));
        if (((Number) v.get("enablecompletion")).longValue() != 0) {
            // create_course(): only a course that tracks completion shows its conditions, by the site's default
            v.putIfAbsent("showcompletionconditions", site.longPlugin("moodlecourse", "showcompletionconditions", 1));
        } else {
            v.remove("showcompletionconditions");
        }
        // no start date: tomorrow at midnight, the course form's default
        long start = v.containsKey("startdate") ? (Long) v.get("startdate")
                : LocalDate.now(clock.withZone(site.userZone())).plusDays(1).atStartOfDay(site.userZone()).toEpochSecond();
        v.put("startdate", start);
        if (!v.containsKey("enddate") && "1".equals(site.plugin("moodlecourse", "courseenddateenabled", "1"))) {
            v.put("enddate", start + Long.parseLong(site.plugin("moodlecourse", "courseduration", "31536000")));
        }
        String format = (String) v.get("format");
        if (d.template != null) {
            List<String[]> sections = new ArrayList<>(courses.sections(c, d.template.id()));
            if (sections.isEmpty()) {
                sections.add(new String[] {null, null, "1"});
            }
            d.line.sections().forEach((n, ns) -> {
                while (sections.size() <= n) {
                    sections.add(new String[] {null, null, "1"});
                }
                sections.set(n, new String[] {ns[0], ns[1], sections.get(n)[2]});
            });
            return new NewCourse(v, d.category.id(), sections, d.line.self(), d.line.guest(), d.template.id());
        }
        int numsections = Integer.parseInt(site.plugin("moodlecourse", "numsections", "4"));
        List<String[]> sections = new ArrayList<>();
        int last = CourseFormats.hasNumberedSections(format)
                ? Math.max(numsections, d.line.sections().keySet().stream().mapToInt(Integer::intValue).max().orElse(0)) : 0;
        for (int s = 0; s <= last; s++) {
            sections.add(d.line.sections().getOrDefault(s, new String[] {null, null}));
        }
        return new NewCourse(v, d.category.id(), sections, d.line.self(), d.line.guest(), 0);
    }
}
