package org.moodlesync.moodle;

/**
 * A Moodle row that a feed finds by its id, idnumber or name, as the feed's identifier setting
 * says (groups.group-identifier, cohorts.identifier...).
 */
public interface IdentifiedRow {
    long id();

    String idnumber();

    String name();

    /** The value of the identifier field ("id", "idnumber", else the name). */
    default String by(String identifier) {
        return switch (identifier) {
            case "id" -> Long.toString(id());
            case "idnumber" -> idnumber();
            default -> name();
        };
    }
}
