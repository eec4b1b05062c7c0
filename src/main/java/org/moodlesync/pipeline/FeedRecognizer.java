package org.moodlesync.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.feed.FeedCatalog;
import org.moodlesync.feed.FeedDefinition;

/**
 * Tells which feed an inbox file belongs to from its name: tool_sync's default names
 * ({@code userimport.csv} is users, {@code deletecourses.csv} is courses-delete...) or the
 * {@code feeds.<feed>.file-pattern} of the configuration, which is also how integrators
 * declare their own feeds.
 */
public final class FeedRecognizer {
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    private final FeedCatalog catalog;

    public FeedRecognizer(FeedCatalog catalog, SyncConfig config) {
        this.catalog = catalog;
        String prefix = "feeds.";
        String suffix = ".file-pattern";
        for (String key : config.asMap().keySet()) {
            if (key.startsWith(prefix) && key.endsWith(suffix)) {
                String feed = key.substring(prefix.length(), key.length() - suffix.length());
                String regex = config.get(key);
                if (!regex.isEmpty()) {
                    patterns.put(feed, compile(key, regex));
                }
            }
        }
        for (FeedDefinition d : catalog.all()) {
            patterns.putIfAbsent(d.name(), Pattern.compile(d.defaultFilePattern()));
        }
    }

    private static Pattern compile(String key, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(key + " is not a valid regular expression: " + e.getDescription());
        }
    }

    /** The feed of a file name; throws when no feed takes it, naming what would be recognised. */
    public String recognize(String fileName) {
        // Configured patterns come first, so an integrator's pattern wins over a default name.
        for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
            if (e.getValue().matcher(fileName).matches()) {
                String feed = e.getKey();
                if (catalog.definition(feed).isPresent() && catalog.processor(feed).isEmpty()) {
                    throw new FileRejectedException(fileName + ": the " + feed + " feed is not available in this version of moodle-sync yet");
                }
                return feed;
            }
        }
        throw new FileRejectedException(fileName + ": no feed takes files with this name. Use tool_sync's names (userimport.csv, userdelete.csv, "
                + "usersuspend.csv, uploadcourses.csv, enrols.csv, ...) or set " + ConfigKeys.filePattern("<feed>"));
    }

    /** For the inbox sorter: the feed of a name, available or not, or null when none takes it. */
    public String feedOrNull(String fileName) {
        for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
            if (e.getValue().matcher(fileName).matches()) {
                return e.getKey();
            }
        }
        return null;
    }
}
