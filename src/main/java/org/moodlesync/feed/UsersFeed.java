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
import java.util.Objects;
import java.util.Set;
import org.moodlesync.moodle.Account;
import org.moodlesync.moodle.AccountChange;
import org.moodlesync.moodle.AuthPlugins;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUsers;
import org.moodlesync.moodle.PasswordHasher;
import org.moodlesync.moodle.ProfileField;
import org.moodlesync.moodle.ProfileFields;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.pipeline.Chunk;
import org.moodlesync.pipeline.CsvRecord;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.FileRejectedException;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;

/**
 * The users feeds (tool_sync §2.1): create or update accounts from {@code userimport.csv},
 * delete them ({@code deleted} = 1 there, or {@code userdelete.csv}), suspend them
 * ({@code usersuspend.csv}). The YAML routes call {@link #byOperation} to split a chunk by
 * operation and then {@link #upsert}, {@link #delete} or {@link #suspend} with each part.
 */
public final class UsersFeed implements FeedProcessor {
    public static final String UPSERT = "upsert";
    public static final String DELETE = "delete";
    public static final String SUSPEND = "suspend";
    private static final String FILE_CONTEXT = "users.file-context";

    private final MoodleDatabase db;
    private final ProfileFields profiles;
    private final UsersFeedSettings settings;
    private final Clock clock;

    private final EnrolmentsFeed enrolments;
    private final CohortsFeed cohorts;
    private final String courseIdentifier;

    /**
     * @param enrolments       applies the course&lt;N&gt; columns, the same code as enrols.csv
     * @param courseIdentifier what course&lt;N&gt; holds (courses.identity)
     */
    public UsersFeed(MoodleDatabase db, UsersFeedSettings settings, Clock clock, EnrolmentsFeed enrolments, CohortsFeed cohorts, String courseIdentifier) {
        this.enrolments = enrolments;
        this.cohorts = cohorts;
        this.courseIdentifier = courseIdentifier;
        this.db = db;
        this.profiles = new ProfileFields(db);
        this.settings = settings;
        this.clock = clock;
    }

    /** What one file needs from Moodle, read once when it starts. */
    private record FileContext(MoodleSite site, MoodleUsers users, UserLineParser parser, Set<Long> protectedIds) {
    }

    @Override
    public void prepare(FeedRun run) {
        MoodleSite site = MoodleSite.load(db);
        Map<String, ProfileField> fields;
        try {
            fields = db.read(profiles::definitions);
        } catch (SQLException e) {
            throw new org.moodlesync.moodle.MoodleUnavailableException("cannot read the profile fields: " + e.getMessage(), e);
        }
        Set<Long> protectedIds = new HashSet<>();
        for (String id : (site.settings().core("siteadmins", "") + "," + site.settings().core("siteguest", "")).split(",")) {
            if (id.trim().matches("\\d+")) {
                protectedIds.add(Long.parseLong(id.trim()));
            }
        }
        for (String column : run.header().columns()) {
            if (UserLineParser.OBSOLETE.contains(column)) {
                run.note("column " + column + " is read and ignored: Moodle 4.1 and later have no such user field");
            }
        }
        if (!run.feed().equals("users") && !run.header().has("username") && !run.header().has(settings.identity())) {
            throw new FileRejectedException(run.source() + ": a " + run.feed() + " file needs a username or " + settings.identity()
                    + " column (users.identity) to find the accounts");
        }
        if (run.header().has("oldusername") && !settings.allowRename()) {
            run.note("column oldusername is ignored: renames need users.allow-rename=true");
        }
        if (run.header().columns().stream().anyMatch(col -> col.matches("course\\d+"))) {
            enrolments.prepare(run);
        }
        run.attribute(FILE_CONTEXT, () -> new FileContext(site, new MoodleUsers(db, site.schema()),
                new UserLineParser(settings, site.settings(), fields), protectedIds));
    }

    private static FileContext context(FeedRun run) {
        return run.attribute(FILE_CONTEXT, () -> {
            throw new IllegalStateException("the users feed was not prepared for " + run.source());
        });
    }

    /** Splits a users-file chunk by operation: lines with deleted = 1 are deletes, the others create or update. */
    public List<Chunk> byOperation(Chunk chunk) {
        Map<String, List<CsvRecord>> byOp = new LinkedHashMap<>();
        String feed = chunk.run().feed();
        String fixed = feed.equals("users-delete") ? DELETE : feed.equals("users-suspend") ? SUSPEND : null;
        for (CsvRecord r : chunk.records()) {
            String op = fixed != null ? fixed : "1".equals(r.text("deleted").trim()) ? DELETE : UPSERT;
            byOp.computeIfAbsent(op, k -> new ArrayList<>()).add(r);
        }
        List<Chunk> parts = new ArrayList<>();
        byOp.forEach((op, records) -> parts.add(chunk.withOperation(op, records)));
        return parts;
    }

    // ------------------------------------------------------------------ create / update

    public List<Outcome> upsert(Chunk chunk) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>(chunk.size());
        List<UserLine> lines = new ArrayList<>(chunk.size());
        for (CsvRecord r : chunk.records()) {
            UserLine line;
            try {
                line = ctx.parser().parse(r);
            } catch (UserLineParser.Invalid e) {
                outcomes.add(Outcome.failed(r, e.key, UPSERT, e.getMessage()));
                continue;
            }
            String duplicate = duplicateOf(run, line, !ctx.site().settings().allowAccountsSameEmail());
            if (duplicate != null) {
                outcomes.add(Outcome.failed(r, line.identityKey(), UPSERT, duplicate));
                continue;
            }
            lines.add(line);
        }
        outcomes.addAll(ChunkApplier.apply(db, run, lines,
                l -> Outcome.failed(l.record(), l.identityKey(), UPSERT, ""),
                (c, ls) -> withEnrolments(c, run, ls, withCohorts(c, ctx, ls, upsertLines(c, ctx, ls)))));
        return outcomes;
    }

    /** The cohort / cohortid columns of the lines whose account was applied: a line is applied whole, its cohort included, or not at all. */
    private List<Outcome> withCohorts(Connection c, FileContext ctx, List<UserLine> lines, List<Outcome> userOutcomes) throws SQLException {
        if (lines.stream().noneMatch(l -> !l.record().text("cohort").isBlank())) {
            return userOutcomes;
        }
        Map<CsvRecord, UserLine> byRecord = new HashMap<>();
        lines.forEach(l -> byRecord.put(l.record(), l));
        long now = clock.instant().getEpochSecond();
        List<Outcome> merged = new ArrayList<>(userOutcomes.size());
        for (Outcome o : userOutcomes) {
            UserLine l = byRecord.get(o.record());
            String cohort = o.record().text("cohort").trim();
            if (o.failed() || l == null || cohort.isEmpty()) {
                merged.add(o);
                continue;
            }
            long userId = ctx.users().byUsername(c, ctx.site().settings().mnetLocalHostId(), Set.of(l.username())).get(l.username()).id();
            String done = cohorts.joinCohort(c, ctx.site().settings(), userId, cohort, o.record().text("cohortid").trim(), now);
            OutcomeType type = o.type() == OutcomeType.UNCHANGED && !done.isEmpty() ? OutcomeType.UPDATED : o.type();
            merged.add(new Outcome(o.record(), o.key(), o.operation(), type, done.isEmpty() ? o.message()
                    : (o.message().isEmpty() ? "" : o.message() + "; ") + done));
        }
        return merged;
    }

    /** The course&lt;N&gt; columns of the lines whose account was applied; an enrolment that fails fails its line, which can then be fed again. */
    private List<Outcome> withEnrolments(Connection c, FeedRun run, List<UserLine> lines, List<Outcome> userOutcomes) throws SQLException {
        List<EnrolLine> wanted = new ArrayList<>();
        Set<CsvRecord> applied = new HashSet<>();
        for (Outcome o : userOutcomes) {
            if (!o.failed()) {
                applied.add(o.record());
            }
        }
        for (UserLine l : lines) {
            if (applied.contains(l.record())) {
                wanted.addAll(l.enrolments());
            }
        }
        if (wanted.isEmpty()) {
            return userOutcomes;
        }
        Map<CsvRecord, List<Outcome>> byLine = new HashMap<>();
        for (Outcome o : enrolments.enrolFromUsersFile(c, run, wanted, courseIdentifier)) {
            byLine.computeIfAbsent(o.record(), k -> new ArrayList<>()).add(o);
        }
        List<Outcome> merged = new ArrayList<>(userOutcomes.size());
        for (Outcome o : userOutcomes) {
            List<Outcome> enrol = byLine.getOrDefault(o.record(), List.of());
            if (enrol.isEmpty()) {
                merged.add(o);
                continue;
            }
            String messages = String.join("; ", enrol.stream().map(e -> e.key().substring(e.key().indexOf('|') + 1) + ": " + e.message()).toList());
            String message = (o.message().isEmpty() ? "" : o.message() + "; ") + messages;
            boolean failed = enrol.stream().anyMatch(Outcome::failed);
            boolean changed = enrol.stream().anyMatch(e -> e.type() != OutcomeType.UNCHANGED);
            OutcomeType type = failed ? OutcomeType.FAILED : o.type() == OutcomeType.UNCHANGED && changed ? OutcomeType.UPDATED : o.type();
            merged.add(new Outcome(o.record(), o.key(), o.operation(), type, message));
        }
        return merged;
    }

    /** The same account twice in one file is an error on the second line: which one should win is not ours to guess. */
    private String duplicateOf(FeedRun run, UserLine line, boolean uniqueEmails) {
        long earlier = run.firstSeenAt(line.identityKey(), line.record().line());
        if (earlier < 0 && !line.identityKey().equals("username=" + line.username())) {
            earlier = run.firstSeenAt("username=" + line.username(), line.record().line());
        }
        if (earlier < 0 && uniqueEmails && line.text("email") != null && !line.identityColumn().equals("email")) {
            earlier = run.firstSeenAt("email=" + line.text("email").toLowerCase(Locale.ROOT), line.record().line());
            if (earlier >= 0) {
                return "email " + line.text("email") + " is already used on line " + earlier + " (the site does not allow accounts with the same email)";
            }
        }
        return earlier >= 0 ? "the same user is already on line " + earlier + " of this file" : null;
    }

    /** What to do with one line, decided from what Moodle holds. */
    private static final class Decision {
        final UserLine line;
        Account target;
        boolean revive;
        String failure;
        String renamedFrom;
        Map<String, Object> set = new LinkedHashMap<>();
        Map<Long, String> profile = new HashMap<>();
        Map<String, String> preferences = new HashMap<>();
        String passwordToHash;

        Decision(UserLine line) {
            this.line = line;
        }
    }

    private List<Outcome> upsertLines(Connection c, FileContext ctx, List<UserLine> lines) throws SQLException {
        SiteSettings site = ctx.site().settings();
        MoodleUsers users = ctx.users();
        long host = site.mnetLocalHostId();
        long now = clock.instant().getEpochSecond();

        Set<String> usernames = new HashSet<>();
        Set<String> identityValues = new HashSet<>();
        for (UserLine l : lines) {
            usernames.add(l.username());
            if (l.oldUsername() != null) {
                usernames.add(l.oldUsername());
            }
            if (!l.identityColumn().equals("username")) {
                identityValues.add(l.identityValue());
            }
        }
        Map<String, Account> byUsername = users.byUsername(c, host, usernames);
        Map<String, List<Account>> byIdentity = identityValues.isEmpty() ? Map.of()
                : users.byColumn(c, host, settings.identity(), identityValues);

        List<Decision> decisions = new ArrayList<>(lines.size());
        for (UserLine l : lines) {
            Decision d = match(l, byUsername, byIdentity);
            if (d.failure == null && d.target != null && ctx.protectedIds().contains(d.target.id())) {
                // A feed must not be able to change the admin's password or lock the site's guest out.
                d.failure = "account " + d.target.username() + " is the site's guest or an administrator: feeds do not change it";
            }
            decisions.add(d);
        }
        resolveByEmail(c, users, host, site, decisions);
        Map<Long, Map<Long, String>> storedProfiles = storedProfiles(c, decisions);

        for (Decision d : decisions) {
            if (d.failure == null) {
                plan(d, site, storedProfiles);
            }
        }
        hashPasswords(decisions);
        return write(c, users, ctx.parser(), host, now, decisions);
    }

    private Decision match(UserLine l, Map<String, Account> byUsername, Map<String, List<Account>> byIdentity) {
        Decision d = new Decision(l);
        Account sameName = live(byUsername.get(l.username()));
        if (l.oldUsername() != null) {
            Account old = live(byUsername.get(l.oldUsername()));
            if (old != null) {
                if (sameName != null && sameName.id() != old.id()) {
                    d.failure = "cannot rename " + l.oldUsername() + " to " + l.username() + ": that username belongs to another account (id " + sameName.id() + ")";
                    return d;
                }
                d.target = old;
                d.renamedFrom = l.oldUsername();
                return d;
            }
            if (sameName == null) {
                d.failure = "cannot rename " + l.oldUsername() + " to " + l.username() + ": there is no account " + l.oldUsername();
                return d;
            }
            // Renamed by an earlier run: carry on as an ordinary update of the new name.
        }
        if (!l.identityColumn().equals("username")) {
            List<Account> found = byIdentity.getOrDefault(l.identityValue(), List.of());
            if (found.size() > 1) {
                d.failure = l.identityColumn() + " " + l.identityValue() + " matches " + found.size() + " accounts (ids "
                        + found.stream().map(a -> Long.toString(a.id())).reduce((a, b) -> a + ", " + b).orElse("") + "): fix them in Moodle first";
                return d;
            }
            if (found.size() == 1) {
                d.target = found.get(0);
                if (sameName != null && sameName.id() != d.target.id()) {
                    d.failure = "username collision: " + l.identityColumn() + " " + l.identityValue() + " is account " + d.target.username()
                            + " (id " + d.target.id() + ") but username " + l.username() + " belongs to another account (id " + sameName.id() + ")";
                }
                return d;
            }
        }
        if (sameName != null) {
            String stored = sameName.text(settings.identity());
            if (l.identityColumn().equals("username") || settings.identity().equals("username") || stored.isEmpty()) {
                // An account made before the SIS gave it an idnumber is adopted and gets one.
                d.target = sameName;
            } else {
                d.failure = "username collision: username " + l.username() + " belongs to the account with " + settings.identity() + " "
                        + stored + ", the line has " + settings.identity() + " " + l.identityValue();
            }
        }
        return d;
    }

    private static Account live(Account a) {
        return a == null || a.deleted() ? null : a;
    }

    /**
     * One query on the email column answers two questions: which other live account already
     * uses a line's email (a collision unless the site allows shared emails), and which deleted
     * account a new line brings back (delete_user() left md5(former username) as its email).
     */
    private void resolveByEmail(Connection c, MoodleUsers users, long host, SiteSettings site, List<Decision> decisions) throws SQLException {
        boolean checkCollisions = !site.allowAccountsSameEmail() && !settings.identity().equals("email");
        Set<String> keys = new HashSet<>();
        Map<String, String> formerUsernameByHash = new HashMap<>();
        for (Decision d : decisions) {
            if (d.failure != null) {
                continue;
            }
            String email = d.line.text("email");
            if (checkCollisions && email != null && (d.target == null || !email.equalsIgnoreCase(d.target.text("email")))) {
                keys.add(email);
                keys.add(email.toLowerCase(Locale.ROOT));
            }
            if (d.target == null) {
                String hash = MoodleUsers.md5(d.line.username());
                keys.add(hash);
                formerUsernameByHash.put(hash, d.line.username());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        Map<String, List<Account>> liveByLowerEmail = new HashMap<>();
        Map<String, Account> deletedByFormerUsername = new HashMap<>();
        for (Account a : users.byEmail(c, host, keys)) {
            if (!a.deleted()) {
                liveByLowerEmail.computeIfAbsent(a.text("email").toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(a);
            } else if (formerUsernameByHash.containsKey(a.text("email"))) {
                // several deleted rows may share a former username: bring back the most recent one
                deletedByFormerUsername.merge(formerUsernameByHash.get(a.text("email")), a, (x, y) -> x.id() > y.id() ? x : y);
            }
        }
        for (Decision d : decisions) {
            String email = d.line.text("email");
            if (checkCollisions && d.failure == null && email != null) {
                for (Account holder : liveByLowerEmail.getOrDefault(email.toLowerCase(Locale.ROOT), List.of())) {
                    if (d.target == null || holder.id() != d.target.id()) {
                        if (d.target != null && settings.protectEmails() && !d.target.text("email").isEmpty()) {
                            continue; // the email will not be changed anyway
                        }
                        d.failure = "email collision: " + email + " is already used by account " + holder.username() + " (id " + holder.id() + ")";
                        break;
                    }
                }
            }
            if (d.failure == null && d.target == null && deletedByFormerUsername.containsKey(d.line.username())) {
                d.target = deletedByFormerUsername.get(d.line.username());
                d.revive = true;
            }
        }
    }

    private Map<Long, Map<Long, String>> storedProfiles(Connection c, List<Decision> decisions) throws SQLException {
        long[] ids = decisions.stream().filter(d -> d.failure == null && d.target != null && !d.line.profile().isEmpty())
                .mapToLong(d -> d.target.id()).toArray();
        return ids.length == 0 ? Map.of() : profiles.values(c, ids);
    }

    /** Fills the decision's column changes, password, profile values and preferences. */
    private void plan(Decision d, SiteSettings site, Map<Long, Map<Long, String>> storedProfiles) {
        UserLine l = d.line;
        boolean creating = d.target == null || d.revive;
        if (creating) {
            d.set.putAll(l.values());
            site.newUserDefaults().forEach(d.set::putIfAbsent);
            if (d.revive) {
                d.set.putIfAbsent("email", ""); // the deleted row holds md5(username) there
                d.set.putIfAbsent("idnumber", "");
            }
        } else {
            Account t = d.target;
            for (Map.Entry<String, Object> e : l.values().entrySet()) {
                String col = e.getKey();
                if (col.equals("email") && settings.protectEmails() && !t.text("email").isEmpty()) {
                    continue;
                }
                // Flags come back from the database as Integer and texts as String, as the parser makes them.
                if (!Objects.equals(t.values().get(col), e.getValue())) {
                    d.set.put(col, e.getValue());
                }
            }
        }
        String auth = (String) (d.set.containsKey("auth") ? d.set.get("auth") : creating ? "manual" : d.target.text("auth"));
        boolean local = AuthPlugins.storesLocalPasswords(auth, site);
        String stored = creating ? null : d.target.text("password");
        if (l.password() != null) {
            if (l.password().equals(AuthPlugins.NOPASS) || !local) {
                if (!AuthPlugins.NOT_CACHED.equals(stored)) {
                    d.set.put("password", AuthPlugins.NOT_CACHED);
                }
            } else if (stored == null || !PasswordHasher.verify(l.password(), stored)) {
                d.passwordToHash = l.password();
                if (auth.equals("manual")) {
                    // auth_manual's user_update_password() records when, for its password expiry setting
                    d.preferences.put("auth_manual_passwordupdatetime", Long.toString(clock.instant().getEpochSecond()));
                }
            }
        } else if (creating) {
            if (!local) {
                d.set.put("password", AuthPlugins.NOT_CACHED);
            } else if (settings.createPasswords() && !d.line.record().has("password")) {
                // Moodle's cron makes a password and mails it (send_new_user_passwords_task).
                d.preferences.put("create_password", "1");
                d.preferences.put("auth_forcepasswordchange", "1");
            }
        }
        Map<Long, String> stored2 = creating ? Map.of() : storedProfiles.getOrDefault(d.target.id(), Map.of());
        for (Map.Entry<Long, String> p : l.profile().entrySet()) {
            if (!Objects.equals(stored2.get(p.getKey()), p.getValue()) && !(p.getValue().isEmpty() && !stored2.containsKey(p.getKey()))) {
                d.profile.put(p.getKey(), p.getValue());
            }
        }
    }

    /** SHA-512 crypt with 10,000 rounds is the slow part of creating accounts: spread it over the cores. */
    private static void hashPasswords(List<Decision> decisions) {
        decisions.parallelStream().filter(d -> d.failure == null && d.passwordToHash != null)
                .forEach(d -> d.set.put("password", PasswordHasher.hash(d.passwordToHash)));
    }

    private List<Outcome> write(Connection c, MoodleUsers users, UserLineParser parser, long host, long now, List<Decision> decisions) throws SQLException {
        List<AccountChange> updates = new ArrayList<>();
        List<AccountChange> revives = new ArrayList<>();
        List<Decision> creates = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.failure != null) {
                continue;
            }
            if (d.target == null) {
                creates.add(d);
            } else if (d.revive) {
                revives.add(new AccountChange(d.target.id(), d.set));
            } else if (!d.set.isEmpty()) {
                updates.add(new AccountChange(d.target.id(), d.set));
            }
        }
        users.update(c, updates, now);
        users.revive(c, revives, now);
        long[] newIds = users.create(c, host, creates.stream().map(d -> d.set).toList(), now);
        for (int i = 0; i < creates.size(); i++) {
            creates.get(i).target = new Account(newIds[i], false, Map.of());
        }
        List<ProfileFields.Value> profileValues = new ArrayList<>();
        Map<Long, Map<String, String>> preferences = new HashMap<>();
        List<Account> suspendedNow = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.failure != null) {
                continue;
            }
            d.profile.forEach((field, value) -> profileValues.add(new ProfileFields.Value(d.target.id(), field, value)));
            if (!d.preferences.isEmpty()) {
                preferences.put(d.target.id(), d.preferences);
            }
            if (Integer.valueOf(1).equals(d.set.get("suspended")) && !d.revive && creates.stream().noneMatch(x -> x == d)) {
                suspendedNow.add(d.target);
            }
        }
        profiles.save(c, profileValues);
        users.setPreferences(c, preferences, now);
        users.endSessions(c, suspendedNow.stream().mapToLong(Account::id).toArray());

        List<Outcome> outcomes = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            outcomes.add(outcome(d, creates.contains(d), parser));
        }
        return outcomes;
    }

    private Outcome outcome(Decision d, boolean created, UserLineParser parser) {
        CsvRecord r = d.line.record();
        String key = d.line.identityKey();
        if (d.failure != null) {
            return Outcome.failed(r, key, UPSERT, d.failure);
        }
        if (created) {
            return new Outcome(r, key, "create", OutcomeType.CREATED, "account " + d.line.username() + " created (id " + d.target.id() + ")");
        }
        if (d.revive) {
            return new Outcome(r, key, "revive", OutcomeType.REVIVED, "deleted account id " + d.target.id() + " brought back as " + d.line.username());
        }
        List<String> changed = new ArrayList<>(d.set.keySet());
        d.profile.keySet().forEach(f -> changed.add("profile_field_" + parser.fieldName(f)));
        if (changed.isEmpty()) {
            return new Outcome(r, key, "update", OutcomeType.UNCHANGED, "");
        }
        String what = (d.renamedFrom != null ? "renamed from " + d.renamedFrom + "; " : "") + "changed " + String.join(", ", changed);
        Object suspended = d.set.get("suspended");
        if (Integer.valueOf(1).equals(suspended)) {
            return new Outcome(r, key, "update", OutcomeType.SUSPENDED, "suspended; " + what);
        }
        if (Integer.valueOf(0).equals(suspended)) {
            return new Outcome(r, key, "update", OutcomeType.UPDATED, "reactivated; " + what);
        }
        return new Outcome(r, key, "update", OutcomeType.UPDATED, what);
    }

    // ------------------------------------------------------------------ delete and suspend

    public List<Outcome> delete(Chunk chunk) {
        return applyToExisting(chunk, DELETE);
    }

    public List<Outcome> suspend(Chunk chunk) {
        return applyToExisting(chunk, SUSPEND);
    }

    /** A line of a delete or suspend file, reduced to how its account is found. */
    private record Target(CsvRecord record, String key, String column, String value, boolean reactivate) {
    }

    private List<Outcome> applyToExisting(Chunk chunk, String op) {
        FeedRun run = chunk.run();
        FileContext ctx = context(run);
        List<Outcome> outcomes = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        for (CsvRecord r : chunk.records()) {
            String key = ctx.parser().keyOf(r);
            if (r.readError() != null) {
                outcomes.add(Outcome.failed(r, key, op, r.readError()));
                continue;
            }
            String identity = settings.identity();
            String value = r.text(identity).trim();
            String column = identity;
            if (value.isEmpty()) {
                column = "username";
                value = r.text("username").trim().toLowerCase(Locale.ROOT);
            } else if (identity.equals("username")) {
                value = value.toLowerCase(Locale.ROOT);
            }
            if (value.isEmpty()) {
                outcomes.add(Outcome.failed(r, key, op, "no " + (identity.equals("username") ? "username" : identity + " or username") + " to find the account by"));
                continue;
            }
            String suspendedCell = r.text("suspended").trim();
            if (op.equals(SUSPEND) && !suspendedCell.isEmpty() && !suspendedCell.equals("0") && !suspendedCell.equals("1")) {
                outcomes.add(Outcome.failed(r, key, op, "suspended must be 1 (suspend) or 0 (reactivate), not \"" + suspendedCell + "\""));
                continue;
            }
            long earlier = run.firstSeenAt(key, r.line());
            if (earlier >= 0) {
                outcomes.add(Outcome.failed(r, key, op, "the same user is already on line " + earlier + " of this file"));
                continue;
            }
            targets.add(new Target(r, key, column, value, suspendedCell.equals("0")));
        }
        outcomes.addAll(ChunkApplier.apply(db, run, targets, t -> Outcome.failed(t.record(), t.key(), op, ""),
                (c, ts) -> applyToExisting(c, ctx, ts, op)));
        return outcomes;
    }

    private List<Outcome> applyToExisting(Connection c, FileContext ctx, List<Target> targets, String op) throws SQLException {
        MoodleUsers users = ctx.users();
        long host = ctx.site().settings().mnetLocalHostId();
        long now = clock.instant().getEpochSecond();
        Map<String, Set<String>> valuesByColumn = new HashMap<>();
        for (Target t : targets) {
            valuesByColumn.computeIfAbsent(t.column(), k -> new HashSet<>()).add(t.value());
        }
        Map<String, Account> byUsername = users.byUsername(c, host, valuesByColumn.getOrDefault("username", Set.of()));
        Map<String, List<Account>> byIdentity = settings.identity().equals("username") || !valuesByColumn.containsKey(settings.identity())
                ? Map.of() : users.byColumn(c, host, settings.identity(), valuesByColumn.get(settings.identity()));

        List<Outcome> outcomes = new ArrayList<>();
        List<Account> toDelete = new ArrayList<>();
        List<Account> toSuspend = new ArrayList<>();
        List<Account> toReactivate = new ArrayList<>();
        List<Target> applied = new ArrayList<>();
        List<Account> appliedAccounts = new ArrayList<>();
        for (Target t : targets) {
            List<Account> found;
            if (t.column().equals("username")) {
                Account a = live(byUsername.get(t.value()));
                found = a == null ? List.of() : List.of(a);
            } else {
                found = byIdentity.getOrDefault(t.value(), List.of());
            }
            if (found.size() > 1) {
                outcomes.add(Outcome.failed(t.record(), t.key(), op, t.column() + " " + t.value() + " matches " + found.size() + " accounts: fix them in Moodle first"));
                continue;
            }
            if (found.isEmpty()) {
                outcomes.add(new Outcome(t.record(), t.key(), op, OutcomeType.UNCHANGED,
                        "no account with " + t.column() + " " + t.value() + (op.equals(DELETE) ? ": nothing to delete" : "")));
                continue;
            }
            Account a = found.get(0);
            if (ctx.protectedIds().contains(a.id())) {
                outcomes.add(Outcome.failed(t.record(), t.key(), op, "account " + a.username() + " is the site's guest or an administrator: Moodle does not let it be "
                        + (op.equals(DELETE) ? "deleted" : "suspended")));
                continue;
            }
            if (op.equals(DELETE)) {
                toDelete.add(a);
            } else {
                int wanted = t.reactivate() ? 0 : 1;
                if (Integer.valueOf(wanted).equals(a.values().get("suspended"))) {
                    outcomes.add(new Outcome(t.record(), t.key(), op, OutcomeType.UNCHANGED, wanted == 1 ? "already suspended" : "already active"));
                    continue;
                }
                (wanted == 1 ? toSuspend : toReactivate).add(a);
            }
            applied.add(t);
            appliedAccounts.add(a);
        }
        users.delete(c, toDelete, now);
        users.setSuspended(c, toSuspend, true, now);
        users.setSuspended(c, toReactivate, false, now);
        for (int i = 0; i < applied.size(); i++) {
            Target t = applied.get(i);
            Account a = appliedAccounts.get(i);
            if (op.equals(DELETE)) {
                outcomes.add(new Outcome(t.record(), t.key(), op, OutcomeType.DELETED, "account " + a.username() + " (id " + a.id() + ") deleted"));
            } else if (t.reactivate()) {
                outcomes.add(new Outcome(t.record(), t.key(), "reactivate", OutcomeType.UPDATED, "account " + a.username() + " reactivated"));
            } else {
                outcomes.add(new Outcome(t.record(), t.key(), op, OutcomeType.SUSPENDED, "account " + a.username() + " suspended"));
            }
        }
        return outcomes;
    }
}
