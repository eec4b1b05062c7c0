package org.moodlesync.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.moodlesync.pipeline.CsvHeader;

/**
 * What a feed's files look like: its name (used by {@code import}, the {@code feeds.<name>.*}
 * keys and the reports), tool_sync's default file name, its columns, and where it runs in the
 * order of a batch of waiting files.
 *
 * @param columnPatterns  repeatable columns such as {@code profile_field_<shortname>}
 * @param deferredColumns columns of later feeds, by pattern, with the message that rejects them
 * @param fixedColumns    non-null for headerless files (one identifier per line)
 * @param available       false for feeds whose processor has not landed yet
 */
public record FeedDefinition(
        String name,
        String defaultFileName,
        int order,
        Set<String> required,
        Set<String> optional,
        List<Pattern> columnPatterns,
        Map<Pattern, String> deferredColumns,
        List<String> fixedColumns,
        boolean available) {

    /** The default recognition pattern: tool_sync's file name, optionally followed by "_anything" (tryback files, dated exports). */
    public String defaultFilePattern() {
        int dot = defaultFileName.lastIndexOf('.');
        String base = dot < 0 ? defaultFileName : defaultFileName.substring(0, dot);
        String ext = dot < 0 ? "" : defaultFileName.substring(dot);
        if (base.endsWith("_")) {
            // a prefix feed such as userpictures_*.zip
            return "(?i)" + Pattern.quote(base) + ".*" + Pattern.quote(ext);
        }
        return "(?i)" + Pattern.quote(base) + "(_.*)?" + Pattern.quote(ext);
    }

    /** Problems with a file's header, each naming the columns; empty when the header is fine. */
    public List<String> headerProblems(CsvHeader header, boolean allowUnknown) {
        List<String> problems = new ArrayList<>();
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(header.columns());
        if (!missing.isEmpty()) {
            problems.add("missing required column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        Set<String> unknown = new TreeSet<>();
        Set<String> deferred = new TreeSet<>();
        for (String column : header.columns()) {
            if (required.contains(column) || optional.contains(column) || columnPatterns.stream().anyMatch(p -> p.matcher(column).matches())) {
                continue;
            }
            String later = deferredColumns.entrySet().stream().filter(e -> e.getKey().matcher(column).matches())
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (later != null) {
                deferred.add(column + " (" + later + ")");
            } else {
                unknown.add(column);
            }
        }
        if (!deferred.isEmpty()) {
            problems.add("columns not supported yet: " + String.join(", ", deferred));
        }
        if (!unknown.isEmpty() && !allowUnknown) {
            problems.add("unknown column" + (unknown.size() > 1 ? "s " : " ") + firstOf(unknown)
                    + " (the " + name + " feed takes " + String.join(", ", new TreeSet<>(required)) + " and optionally "
                    + String.join(", ", new TreeSet<>(optional)) + "; set sync.allow-unknown-columns=true to ignore unknown columns)");
        }
        return problems;
    }

    /** How many names an error message lists: a header of 10,000 wrong columns must not make a 70 KB line. */
    static final int LISTED_NAMES = 20;

    /** The first {@value #LISTED_NAMES} names, then how many more there are. */
    static String firstOf(java.util.Collection<String> names) {
        if (names.size() <= LISTED_NAMES) {
            return String.join(", ", names);
        }
        return String.join(", ", names.stream().limit(LISTED_NAMES).toList()) + " and " + (names.size() - LISTED_NAMES) + " more";
    }
}
