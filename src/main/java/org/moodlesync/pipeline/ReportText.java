package org.moodlesync.pipeline;

/** Escaping of report text: CSV cells, CSV comment lines and HTML. */
final class ReportText {
    private ReportText() {
    }

    /**
     * One RFC 4180 cell. Cells that a spreadsheet would run as a formula (starting with = + - @
     * or a tab/CR) get a leading apostrophe: the key and message carry text from the feed file,
     * i.e. from students, and the report is opened in Excel by administrators.
     */
    static String csvCell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char c = v.charAt(0);
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            v = "'" + v;
        }
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char ch = v.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
        }
        quote |= v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ' || v.charAt(0) == '#';
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    /** Text for a "# ..." line: line breaks would end the comment and start a bogus record. */
    static String commentText(String value) {
        return value == null ? "" : value.replaceAll("[\\r\\n]+", " ");
    }

    /** HTML text and attribute content; line breaks become {@code <br>} so a row stays on one line. */
    static String html(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '\r' -> {
                    sb.append("<br>");
                    if (i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                        i++;
                    }
                }
                case '\n' -> sb.append("<br>");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
