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
        String v = visible(value);
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
        return value == null ? "" : visible(value).replaceAll("[\\r\\n]+", " ");
    }

    /**
     * The text with its control characters (NUL, escape, backspace...) shown as {@code \xHH}: a
     * report must show what a line held, never pass raw control bytes to a terminal, a spreadsheet
     * or a browser. Tabs and line breaks are kept.
     */
    static String visible(String value) {
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
            if (control && sb == null) {
                sb = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (sb != null) {
                if (control) {
                    sb.append(String.format("\\x%02X", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? value : sb.toString();
    }

    /** HTML text and attribute content; line breaks become {@code <br>} so a row stays on one line. */
    static String html(String value) {
        if (value == null) {
            return "";
        }
        String text = visible(value);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '\r' -> {
                    sb.append("<br>");
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
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
