package org.moodlesync.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** The JSON forms of runs (completion events, the HTTP API), written by Jackson. */
public final class RunJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunJson() {
    }

    public static String list(List<RunRecord> runs) {
        return object(Map.of("runs", runs.stream().map(RunRecord::toMap).toList()));
    }

    /** A map of strings, numbers, booleans, lists and maps as one JSON object. */
    public static String object(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON of a run: " + e.getMessage(), e);
        }
    }
}
