package org.moodlesync.feed;

import java.util.Locale;
import java.util.Set;

/**
 * The cohorts.* configuration keys.
 *
 * @param identifier     id, idnumber or name: which cohort field the key column holds (cid, cidnumber or cname)
 * @param userIdentifier username, idnumber, email or id: what the userid column holds
 * @param autocreate     whether add lines create missing cohorts
 * @param courseIdentifier shortname, idnumber or id: what the course column of cohortscourses.csv holds
 */
public record CohortsFeedSettings(String identifier, String userIdentifier, boolean autocreate, String courseIdentifier) {

    public CohortsFeedSettings {
        identifier = identifier.toLowerCase(Locale.ROOT).trim();
        userIdentifier = userIdentifier.toLowerCase(Locale.ROOT).trim();
        if (!Set.of("id", "idnumber", "name").contains(identifier)) {
            throw new IllegalArgumentException("cohorts.identifier must be id, idnumber or name (got \"" + identifier + "\")");
        }
        courseIdentifier = courseIdentifier.toLowerCase(Locale.ROOT).trim();
        if (!Set.of("shortname", "idnumber", "id").contains(courseIdentifier)) {
            throw new IllegalArgumentException("cohorts.course-identifier must be shortname, idnumber or id (got \"" + courseIdentifier + "\")");
        }
        if (!Set.of("username", "idnumber", "email", "id").contains(userIdentifier)) {
            throw new IllegalArgumentException("cohorts.user-identifier must be username, idnumber, email or id (got \"" + userIdentifier + "\")");
        }
    }

    /** tool_sync's key column: "c" + the identifier field. */
    public String keyColumn() {
        return "c" + identifier;
    }
}
