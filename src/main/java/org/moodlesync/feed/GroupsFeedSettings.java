package org.moodlesync.feed;

import java.util.Locale;
import java.util.Set;

/**
 * The groups.* configuration keys.
 *
 * @param courseIdentifier   what courseid holds: shortname, idnumber or id
 * @param groupIdentifier    what updateid (groups) and groupid (members) hold: id, idnumber or name
 * @param groupingIdentifier what grouping and updateid (groupings) hold: id, idnumber or name
 * @param userIdentifier     what userid holds: username, idnumber, email or id
 * @param purge              none, groups or groups-and-groupings: what empty ones a members file removes in the courses it touched
 */
public record GroupsFeedSettings(String courseIdentifier, String groupIdentifier, String groupingIdentifier, String userIdentifier, String purge) {

    public GroupsFeedSettings {
        courseIdentifier = check("groups.course-identifier", courseIdentifier, Set.of("shortname", "idnumber", "id"));
        groupIdentifier = check("groups.group-identifier", groupIdentifier, Set.of("id", "idnumber", "name"));
        groupingIdentifier = check("groups.grouping-identifier", groupingIdentifier, Set.of("id", "idnumber", "name"));
        userIdentifier = check("groups.user-identifier", userIdentifier, Set.of("username", "idnumber", "email", "id"));
        purge = check("groups.purge-empty", purge, Set.of("none", "groups", "groups-and-groupings"));
    }

    private static String check(String key, String value, Set<String> allowed) {
        String v = value.toLowerCase(Locale.ROOT).trim();
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(key + " must be one of " + new java.util.TreeSet<>(allowed) + " (got \"" + value + "\")");
        }
        return v;
    }
}
