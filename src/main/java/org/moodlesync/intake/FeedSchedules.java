package org.moodlesync.intake;

import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.feed.FeedCatalog;

/**
 * The feeds that run on a schedule ({@code feeds.<feed>.cron}, a quartz cron), like tool_sync's
 * scheduled tasks. Each gets a route {@code schedule-<feed>} made from the {@code feed-schedule}
 * template of routes/schedules.yaml; the inbox gate holds the feed's files until it fires.
 */
public final class FeedSchedules {
    static final String TEMPLATE = "feed-schedule";

    private final Map<String, String> cronByFeed;

    private FeedSchedules(Map<String, String> cronByFeed) {
        this.cronByFeed = cronByFeed;
    }

    /** Reads the schedules; a feed name that no feed has is refused, since its files would wait forever. */
    public static FeedSchedules read(SyncConfig config, FeedCatalog catalog, java.util.Collection<String> customFeeds) {
        Map<String, String> crons = new TreeMap<>();
        for (String key : config.keys()) {
            if (key.startsWith("feeds.") && key.endsWith(".cron") && !config.get(key, "").isBlank()) {
                String feed = key.substring("feeds.".length(), key.length() - ".cron".length());
                if (catalog.definition(feed).isEmpty() && !customFeeds.contains(feed)) {
                    throw new IllegalArgumentException(key + ": there is no feed named \"" + feed + "\" (feeds: " + String.join(", ", catalog.names()) + ")");
                }
                String cron = config.get(key, "").trim();
                if (!org.quartz.CronExpression.isValidExpression(cron)) {
                    throw new IllegalArgumentException(key + " = " + cron + " is not a quartz cron (seconds minutes hours day-of-month month day-of-week,"
                            + " e.g. 0 0 2 * * ? for 02:00 every night)");
                }
                crons.put(feed, cron);
            }
        }
        return new FeedSchedules(crons);
    }

    public java.util.Set<String> feeds() {
        return cronByFeed.keySet();
    }

    /** Adds one route per scheduled feed (after Camel started: the template comes from the YAML). */
    public void start(CamelContext camel) throws Exception {
        for (Map.Entry<String, String> e : cronByFeed.entrySet()) {
            camel.addRouteFromTemplate("schedule-" + e.getKey(), TEMPLATE, Map.of("feed", e.getKey(), "cron", e.getValue()));
        }
    }
}
