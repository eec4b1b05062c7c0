package org.moodlesync.feed;

import java.util.Locale;
import java.util.Set;

/**
 * The enrols.* configuration keys.
 *
 * @param courseIdentifier shortname, idnumber or id: what the cid column holds
 * @param userIdentifier   username, idnumber, email or id: what the uid column holds
 */
public record EnrolmentsFeedSettings(String courseIdentifier, String userIdentifier) {

    public EnrolmentsFeedSettings {
        courseIdentifier = courseIdentifier.toLowerCase(Locale.ROOT).trim();
        userIdentifier = userIdentifier.toLowerCase(Locale.ROOT).trim();
        if (!Set.of("shortname", "idnumber", "id").contains(courseIdentifier)) {
            throw new IllegalArgumentException("enrols.course-identifier must be shortname, idnumber or id (got \"" + courseIdentifier + "\")");
        }
        if (!Set.of("username", "idnumber", "email", "id").contains(userIdentifier)) {
            throw new IllegalArgumentException("enrols.user-identifier must be username, idnumber, email or id (got \"" + userIdentifier + "\")");
        }
    }
}
