package dev.gatewatch.check.store;

import java.nio.charset.StandardCharsets;

/**
 * Rows in PostgreSQL's COPY text format: columns split by tab, rows by newline, {@code \N} for null, and backslash,
 * tab, newline and carriage return escaped in values (the only characters the format gives a meaning to).
 */
final class CopyText {

    private final StringBuilder out = new StringBuilder(256);
    private boolean rowStarted;

    CopyText value(Object v) {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
        if (v == null) {
            out.append("\\N");
        } else if (v instanceof Boolean b) {
            out.append(b ? 't' : 'f');
        } else if (v instanceof Number n) {
            out.append(n);
        } else {
            escape(v.toString());
        }
        return this;
    }

    CopyText endRow() {
        out.append('\n');
        rowStarted = false;
        return this;
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
