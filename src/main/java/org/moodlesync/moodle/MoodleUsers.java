package org.moodlesync.moodle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moodle's user accounts, read and written set-wise: every lookup takes the keys of a whole
 * chunk ({@code = ANY(?)}), every write takes a list. What each write touches is what Moodle's
 * own API touches (see the method comments), so Moodle's checks accept the result.
 */
public final class MoodleUsers {
    /**
     * Tables {@code delete_user()} empties of a deleted user's rows. The first group exists in
     * every Moodle from 4.1 on; the optional ones are cleaned when the site has them.
     */
    private static final List<String> DELETE_USER_TABLES = List.of(
            "role_assignments", "cohort_members", "groups_members", "user_enrolments", "user_preferences",
            "user_info_data", "user_lastaccess", "external_tokens", "external_services_users");
    private static final List<String> DELETE_USER_OPTIONAL_TABLES = List.of(
            "user_password_history", "user_private_key", "event_subscriptions", "auth_oauth2_linked_login", "sessions");
    /** Moodle's $CFG->sessiontimeout default: how long a cache flag must outlive a session. */
    private static final long CACHE_FLAG_LIFETIME = 28800;

    private final MoodleDatabase db;
    private final Contexts contexts;
    private final SchemaInfo schema;

    public MoodleUsers(MoodleDatabase db, SchemaInfo schema) {
        this.db = db;
        this.contexts = new Contexts(db);
        this.schema = schema;
    }

    // ---------------------------------------------------------------- lookups

    /** Accounts of the local host by username (deleted ones included: their usernames are anonymised). */
    public Map<String, Account> byUsername(Connection c, long mnetHost, Collection<String> usernames) throws SQLException {
        Map<String, Account> found = new HashMap<>();
        for (Account a : select(c, "username", "", mnetHost, usernames)) {
            found.put(a.username(), a);
        }
        return found;
    }

    /** Live accounts of the local host by a non-unique column (idnumber or email); several may share a value. */
    public Map<String, List<Account>> byColumn(Connection c, long mnetHost, String column, Collection<String> values) throws SQLException {
        if (!column.equals("idnumber") && !column.equals("email")) {
            throw new IllegalArgumentException("cannot look users up by " + column);
        }
        Map<String, List<Account>> found = new HashMap<>();
        for (Account a : select(c, column, " AND u.deleted = 0", mnetHost, values)) {
            found.computeIfAbsent(a.text(column), k -> new ArrayList<>()).add(a);
        }
        return found;
    }

    /**
     * Live accounts by the identifier a feed is configured with (username, idnumber, email or
     * id), keyed by the value as given (usernames lower-cased); several accounts may share an
     * idnumber or email.
     */
    public Map<String, List<Account>> byIdentifier(Connection c, long mnetHost, String identifier, Collection<String> values) throws SQLException {
        Map<String, List<Account>> byValue = new HashMap<>();
        switch (identifier) {
            case "username" -> byUsername(c, mnetHost, values).forEach((k, a) -> {
                if (!a.deleted()) {
                    byValue.put(k, List.of(a));
                }
            });
            case "id" -> byId(c, mnetHost, values.stream().filter(v -> v.matches("\\d{1,18}")).toList())
                    .forEach((id, a) -> byValue.put(Long.toString(id), List.of(a)));
            default -> byValue.putAll(byColumn(c, mnetHost, identifier, values));
        }
        return byValue;
    }

    /** Live accounts of the local host by id (the values are digits). */
    public Map<Long, Account> byId(Connection c, long mnetHost, Collection<String> ids) throws SQLException {
        Map<Long, Account> found = new HashMap<>();
        for (Account a : select(c, "id", " AND u.deleted = 0", mnetHost, ids)) {
            found.put(a.id(), a);
        }
        return found;
    }

    /**
     * Accounts of the local host by email, deleted ones included: delete_user() keeps a deleted
     * row with deleted = 1 and md5(old username) as its email, which is how a deleted user is
     * found again and brought back with the same id ({@link #md5}).
     */
    public List<Account> byEmail(Connection c, long mnetHost, Collection<String> emails) throws SQLException {
        return select(c, "email", "", mnetHost, emails);
    }

    /** One query for all the keys of a chunk (see {@link MoodleDatabase#analyzeIfGrown} for why it stays fast during bulk loads). */
    private List<Account> select(Connection c, String keyColumn, String extraCondition, long mnetHost, Collection<String> values) throws SQLException {
        List<Account> accounts = new ArrayList<>();
        if (values.isEmpty()) {
            return accounts;
        }
        String sql = "SELECT u.id, u.deleted, " + String.join(", ", UserColumns.READ.stream().map(col -> "u." + col).toList())
                + " FROM " + db.table("user") + " u WHERE " + (keyColumn.equals("id") ? "u.id = ANY(CAST(? AS bigint[]))" : "u." + keyColumn + " = ANY(?)")
                + " AND u.mnethostid = ?" + extraCondition;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("varchar", values.toArray()));
            ps.setLong(2, mnetHost);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> v = new HashMap<>();
                    for (String col : UserColumns.READ) {
                        // NULL and '' mean the same to Moodle's forms; compare them as ''.
                        v.put(col, UserColumns.isFlag(col) ? (Object) rs.getInt(col) : java.util.Objects.requireNonNullElse(rs.getString(col), ""));
                    }
                    accounts.add(new Account(rs.getLong(1), rs.getInt(2) == 1, v));
                }
            }
        }
        return accounts;
    }

    // ---------------------------------------------------------------- writes

    /**
     * user_create_user(): the user rows (local mnet host, confirmed, timestamps, and only the
     * columns given so Moodle's defaults fill the rest) and their user contexts. Returns the new ids
     * in the order of the rows.
     */
    public long[] create(Connection c, long mnetHost, List<Map<String, Object>> rows, long now) throws SQLException {
        long[] ids = Ids.next(c, db, "user", rows.size());
        // Rows of one file share their columns; group anyway so each insert names exactly what it sets.
        Map<List<String>, List<Object[]>> byColumns = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new TreeMap<>(rows.get(i));
            row.put("id", ids[i]);
            row.put("mnethostid", mnetHost);
            row.put("confirmed", 1);
            row.put("timecreated", now);
            row.put("timemodified", now);
            List<String> cols = List.copyOf(row.keySet());
            byColumns.computeIfAbsent(cols, k -> new ArrayList<>()).add(row.values().toArray());
        }
        for (Map.Entry<List<String>, List<Object[]>> e : byColumns.entrySet()) {
            RowInserter.insert(c, db, "user", e.getKey(), e.getValue());
        }
        contexts.createUserContexts(c, ids);
        return ids;
    }

    /** user_update_user(): only the given columns, plus timemodified. */
    public void update(Connection c, List<AccountChange> changes, long now) throws SQLException {
        Map<List<String>, List<AccountChange>> byColumns = new LinkedHashMap<>();
        for (AccountChange ch : changes) {
            byColumns.computeIfAbsent(List.copyOf(new TreeMap<>(ch.set()).keySet()), k -> new ArrayList<>()).add(ch);
        }
        for (Map.Entry<List<String>, List<AccountChange>> e : byColumns.entrySet()) {
            List<String> cols = e.getKey();
            StringBuilder sql = new StringBuilder("UPDATE ").append(db.table("user")).append(" SET ");
            for (String col : cols) {
                sql.append(col).append(" = ?, ");
            }
            sql.append("timemodified = ? WHERE id = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (AccountChange ch : e.getValue()) {
                    int i = 1;
                    for (String col : cols) {
                        ps.setObject(i++, ch.set().get(col));
                    }
                    ps.setLong(i++, now);
                    ps.setLong(i, ch.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Brings deleted accounts back: the row with deleted = 0 and the line's values, and a new user context. */
    public void revive(Connection c, List<AccountChange> changes, long now) throws SQLException {
        List<AccountChange> withFlag = new ArrayList<>();
        long[] ids = new long[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            Map<String, Object> set = new HashMap<>(changes.get(i).set());
            set.put("deleted", 0);
            withFlag.add(new AccountChange(changes.get(i).id(), set));
            ids[i] = changes.get(i).id();
        }
        update(c, withFlag, now);
        contexts.createUserContexts(c, ids);
    }

    /**
     * delete_user(): the row is kept with deleted = 1, the username replaced by
     * {@code <email>.<time>} (unique), the email by md5(username), idnumber emptied and picture 0;
     * enrolments, role assignments, group and cohort memberships, preferences, profile data,
     * tokens and last accesses are removed, then the files and blocks of the user context and
     * the context itself.
     */
    public void delete(Connection c, List<Account> accounts, long now) throws SQLException {
        if (accounts.isEmpty()) {
            return;
        }
        long[] ids = accounts.stream().mapToLong(Account::id).toArray();
        Long[] boxed = Contexts.box(ids);
        for (String table : DELETE_USER_TABLES) {
            deleteWhereUser(c, table, boxed);
        }
        for (String table : DELETE_USER_OPTIONAL_TABLES) {
            if (schema.hasTable(table)) {
                deleteWhereUser(c, table, boxed);
            }
        }
        if (schema.hasTable("my_pages")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("my_pages") + " WHERE private = 1 AND userid = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", boxed));
                ps.executeUpdate();
            }
        }
        deleteContextContent(c, ids);
        contexts.delete(c, ContextLevel.USER, ids);
        // delete_user(): their role assignments (anywhere), enrolments and group memberships went
        db.caches(c).categoryRolesChanged();
        db.caches(c).membershipsChanged(java.util.Arrays.stream(ids).boxed().toList());

        Set<String> taken = new HashSet<>();
        List<Object[]> updates = new ArrayList<>();
        String sql = "SELECT 1 FROM " + db.table("user") + " WHERE username = ?";
        try (PreparedStatement exists = c.prepareStatement(sql)) {
            for (Account a : accounts) {
                String name = deletedUsername(a, now);
                while (taken.contains(name) || exists(exists, name)) {
                    name = increment(name);
                }
                taken.add(name);
                updates.add(new Object[] {name, md5(a.username()), now, a.id()});
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("user")
                + " SET deleted = 1, username = ?, email = ?, idnumber = '', picture = 0, timemodified = ? WHERE id = ?")) {
            for (Object[] u : updates) {
                for (int i = 0; i < u.length; i++) {
                    ps.setObject(i + 1, u[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Sets or clears suspension. Moodle also ends the sessions of a suspended user: the
     * database-stored ones are removed here; file-based sessions end at their timeout.
     */
    public void setSuspended(Connection c, List<Account> accounts, boolean suspended, long now) throws SQLException {
        List<AccountChange> changes = new ArrayList<>();
        for (Account a : accounts) {
            changes.add(new AccountChange(a.id(), Map.of("suspended", suspended ? 1 : 0)));
        }
        update(c, changes, now);
        if (suspended) {
            endSessions(c, accounts.stream().mapToLong(Account::id).toArray());
        }
    }

    public void endSessions(Connection c, long[] userIds) throws SQLException {
        if (userIds.length > 0 && schema.hasTable("sessions")) {
            deleteWhereUser(c, "sessions", Contexts.box(userIds));
        }
    }

    /** set_user_preference() for many users; marks their preferences as changed as Moodle does. */
    public void setPreferences(Connection c, Map<Long, Map<String, String>> preferences, long now) throws SQLException {
        if (preferences.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("user_preferences")
                + " (userid, name, value) VALUES (?, ?, ?) ON CONFLICT (userid, name) DO UPDATE SET value = EXCLUDED.value")) {
            for (Map.Entry<Long, Map<String, String>> e : preferences.entrySet()) {
                for (Map.Entry<String, String> p : e.getValue().entrySet()) {
                    ps.setLong(1, e.getKey());
                    ps.setString(2, p.getKey());
                    ps.setString(3, p.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        CacheFlags.set(c, db, "userpreferenceschanged", preferences.keySet(), now, now + CACHE_FLAG_LIFETIME);
    }

    private void deleteWhereUser(Connection c, String table, Long[] ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table(table) + " WHERE userid = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.executeUpdate();
        }
    }

    /** context::delete_content(): files and blocks living in the user contexts. */
    private void deleteContextContent(Connection c, long[] userIds) throws SQLException {
        String ctx = "SELECT id FROM " + db.table("context") + " WHERE contextlevel = " + ContextLevel.USER.level + " AND instanceid = ANY(?)";
        Long[] boxed = Contexts.box(userIds);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("files") + " WHERE contextid IN (" + ctx + ")")) {
            ps.setArray(1, c.createArrayOf("bigint", boxed));
            ps.executeUpdate();
        }
        if (schema.hasTable("block_positions")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("block_positions") + " WHERE blockinstanceid IN (SELECT id FROM "
                    + db.table("block_instances") + " WHERE parentcontextid IN (" + ctx + "))")) {
                ps.setArray(1, c.createArrayOf("bigint", boxed));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("block_instances") + " WHERE parentcontextid IN (" + ctx + ")")) {
            ps.setArray(1, c.createArrayOf("bigint", boxed));
            ps.executeUpdate();
        }
    }

    /** delete_user()'s anonymised username: the email (or a made-up one) cleaned as a username, then ".<time>". */
    static String deletedUsername(Account a, long now) {
        String email = a.text("email");
        String base = !email.isEmpty() ? email : a.username() + "." + a.id() + "@unknownemail.invalid";
        String time = Long.toString(now);
        String cleaned = UsernameRules.clean(base, false);
        int max = 100 - (time.length() + 1);
        if (cleaned.length() > max) {
            cleaned = cleaned.substring(0, max);
        }
        return cleaned + "." + time;
    }

    /** PHP's ++ on a string ending in digits, as delete_user() uses to make the name unique. */
    static String increment(String name) {
        int i = name.length();
        while (i > 0 && Character.isDigit(name.charAt(i - 1))) {
            i--;
        }
        String digits = name.substring(i);
        if (digits.isEmpty()) {
            return name + "1";
        }
        return name.substring(0, i) + new java.math.BigInteger(digits).add(java.math.BigInteger.ONE);
    }

    private static boolean exists(PreparedStatement ps, String username) throws SQLException {
        ps.setString(1, username);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    public static String md5(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
