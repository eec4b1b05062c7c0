package org.moodlesync.feed;

import java.util.Locale;
import java.util.Set;

/**
 * The users.* configuration keys.
 *
 * @param identity        username, idnumber or email: which column finds an existing account
 *                        (with tool_sync's fallback to username when that cell is empty)
 * @param allowRename     whether {@code oldusername} may rename accounts
 * @param protectEmails   an existing non-empty email is never changed
 * @param createPasswords new accounts without a password get Moodle's create_password preference
 * @param languages       the language codes accepted; empty to accept any well-formed code
 */
public record UsersFeedSettings(String identity, boolean allowRename, boolean protectEmails, boolean createPasswords,
                                Set<String> languages) {

    public static final Set<String> IDENTITIES = Set.of("username", "idnumber", "email");

    public UsersFeedSettings {
        identity = identity.toLowerCase(Locale.ROOT).trim();
        if (!IDENTITIES.contains(identity)) {
            throw new IllegalArgumentException("users.identity must be username, idnumber or email (got \"" + identity + "\")");
        }
    }
}
