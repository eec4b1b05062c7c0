package org.moodlesync.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the cells of a header line and turns them into column names (trimmed, lower-cased).
 * A bad header rejects the whole file: every record would be read against wrong columns.
 */
final class HeaderColumns {
    private HeaderColumns() {
    }

    static List<String> of(String[] cells, long line) {
        List<String> columns = new ArrayList<>(cells.length);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            String name = CsvHeader.normalise(cells[i]);
            if (name.isEmpty()) {
                throw new FileRejectedException("column " + (i + 1) + " of the header (line " + line
                        + ") is empty");
            }
            Integer earlier = seen.putIfAbsent(name, i + 1);
            if (earlier != null) {
                throw new FileRejectedException("column \"" + name + "\" appears twice in the header (line "
                        + line + "): columns " + earlier + " and " + (i + 1));
            }
            columns.add(name);
        }
        return columns;
    }
}
