package org.moodlesync.events;

import java.util.List;
import java.util.Map;

/** The JSON forms of runs for callers outside this package. */
public final class RunJson {
    private RunJson() {
    }

    public static String list(List<RunRecord> runs) {
        return Json.write(Map.of("runs", runs.stream().map(RunRecord::toMap).toList()));
    }

    public static String object(Map<String, Object> value) {
        return Json.write(value);
    }
}
