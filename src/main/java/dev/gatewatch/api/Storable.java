package dev.gatewatch.api;

/**
 * The one place where text from outside (target responses, tenants' input) is made storable in PostgreSQL: {@code text}
 * and {@code jsonb} refuse U+0000 (SQLSTATE 22021 / 22P05), and {@code jsonb} refuses unpaired UTF-16 surrogates, so both
 * are replaced by U+FFFD. A {@code Storable} counts what it replaced, so the stored row can say so.
 */
public final class Storable {

    public static final char REPLACEMENT = '\uFFFD';

    private int replaced;

    /** {@code text} as PostgreSQL will take it (itself when nothing needs replacing), counting the replacements. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        int bad = firstUnstorable(text);
        if (bad < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, bad);
        for (int i = bad; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                out.append(REPLACEMENT);
                replaced++;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
                replaced++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Code points replaced so far. */
    public int replaced() {
        return replaced;
    }

    private static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }
}
