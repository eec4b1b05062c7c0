package org.moodlesync.pipeline;

/** Names of the exchange properties and headers the routes and beans share. */
public final class Exchanges {
    private Exchanges() {
    }

    /** Property: the feed that processes the file (users, users-delete...). */
    public static final String FEED = "moodleSyncFeed";
    /** Property: optional "export column=feed column" pairs, comma separated, for integrators' own exports. */
    public static final String COLUMN_ALIASES = "moodleSyncColumnAliases";
    /** Header: "true" to process the file as a dry run whatever sync.dry-run says. */
    public static final String DRY_RUN = "MoodleSyncDryRun";
    /** Header: the name the file is reported under (defaults to CamelFileNameOnly). */
    public static final String SOURCE_NAME = "MoodleSyncSourceName";
    /** Property: the {@link FeedRun} of the file. */
    public static final String RUN = "moodleSyncRun";
    /** Property: the open {@link CsvFeedReader} of the file. */
    public static final String READER = "moodleSyncReader";
}
