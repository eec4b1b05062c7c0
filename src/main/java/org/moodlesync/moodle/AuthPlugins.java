package org.moodlesync.moodle;

import java.util.Set;

/**
 * Which authentication plugins keep a password in Moodle's user table. For the others Moodle's
 * update_internal_user_password() stores the placeholder {@link #NOT_CACHED} instead of a hash
 * (their prevent_local_passwords() is true).
 */
public final class AuthPlugins {
    /** Moodle's AUTH_PASSWORD_NOT_CACHED. */
    public static final String NOT_CACHED = "not cached";
    /** tool_sync's and Moodle uploaduser's marker for "no password login for this account". */
    public static final String NOPASS = "*NOPASS*";

    private static final Set<String> LOCAL = Set.of("manual", "email", "nologin", "none", "webservice");

    private AuthPlugins() {
    }

    public static boolean storesLocalPasswords(String auth, SiteSettings site) {
        if (LOCAL.contains(auth)) {
            return true;
        }
        if (auth.equals("ldap")) {
            return !"1".equals(site.plugin("auth_ldap", "preventpassindb", "0"));
        }
        if (auth.equals("db")) {
            return "internal".equals(site.plugin("auth_db", "passtype", "plaintext"));
        }
        return false;
    }
}
