package dev.gatewatch.monitor.validation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A tenant's regular expression (body {@code regex}/{@code not_regex}, JSON {@code matches}), compiled with RE2/J so
 * that matching is linear in the body: no backtracking, hence no backreferences or lookaround. Registration and the
 * checker compile through here, so both refuse the same patterns.
 */
public final class AssertionPattern {

    /** Longest pattern text accepted. */
    public static final int MAX_LENGTH = 1024;
    /**
     * Most pattern elements after counted repetitions are expanded ({@code (a{1000}){1000}} is a million). RE2/J has no
     * limit of its own and would fill the heap compiling such a pattern; matching time grows with this size too.
     */
    public static final long MAX_EXPANDED = 2000;

    private AssertionPattern() {
    }

    /** @throws IllegalArgumentException with a sentence that follows the field name, e.g. "cannot run as RE2: …" */
    public static Pattern compile(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        Scan scan = new Scan(regex);
        scan.run();
        if (scan.javaOnly != null) {
            throw new IllegalArgumentException("cannot run as an RE2 pattern: " + scan.javaOnly);
        }
        if (scan.size() > MAX_EXPANDED) {
            throw new IllegalArgumentException("is too large: its counted repetitions expand to more than " + MAX_EXPANDED
                    + " elements");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("cannot run as an RE2 pattern: " + e.getDescription() + " `" + e.getPattern()
                    + "` (RE2 syntax: no backreferences, lookaround, possessive or atomic groups)");
        }
    }

    /**
     * An upper bound of the compiled size, read from the text: each element counts once, a group counts its contents,
     * and {@code {n}}/{@code {n,m}}/{@code {n,}} multiply what they follow. Misreading a construct only overcounts.
     * It also finds Java class syntax ({@code &&}, nested classes) that RE2 accepts with another meaning.
     */
    private static final class Scan {
        final String p;
        final long[] total = new long[MAX_LENGTH + 2];
        final long[] last = new long[MAX_LENGTH + 2];
        int depth;
        int i;
        String javaOnly;

        Scan(String p) {
            this.p = p;
        }

        long size() {
            long sum = 0;
            for (int d = 0; d <= depth; d++) {
                sum = cap(sum + total[d]);
            }
            return sum;
        }

        void run() {
            while (i < p.length() && javaOnly == null) {
                char c = p.charAt(i);
                switch (c) {
                    case '\\' -> escape();
                    case '[' -> charClass();
                    case '(' -> group();
                    case ')' -> {
                        i++;
                        if (depth > 0) {
                            long group = total[depth--];
                            element(group);
                        }
                    }
                    case '{' -> repeat();
                    case '|' -> {
                        total[depth] = cap(total[depth] + 1);
                        last[depth] = 0;
                        i++;
                    }
                    default -> {
                        element(1);
                        i++;
                    }
                }
            }
        }

        /** {@code (}, {@code (?:}, {@code (?P<name>}, {@code (?<name>}, {@code (?i:}; {@code (?i)} only sets flags. */
        void group() {
            int j = i + 1;
            if (j < p.length() && p.charAt(j) == '?') {
                j++;
                if (j < p.length() && p.charAt(j) == 'P') {
                    j++;
                }
                if (j < p.length() && p.charAt(j) == '<') {
                    int close = p.indexOf('>', j);
                    j = close < 0 ? p.length() : close + 1;
                } else {
                    while (j < p.length() && (Character.isLetter(p.charAt(j)) || p.charAt(j) == '-')) {
                        j++;
                    }
                    if (j < p.length() && p.charAt(j) == ')') {
                        i = j + 1;
                        return;
                    }
                    if (j < p.length() && p.charAt(j) == ':') {
                        j++;
                    }
                }
            }
            depth++;
            total[depth] = 1; // the capture or group itself
            last[depth] = 0;
            i = j;
        }

        void element(long size) {
            total[depth] = cap(total[depth] + size);
            last[depth] = size;
        }

        void escape() {
            if (i + 1 >= p.length()) {
                i++;
                return;
            }
            char next = p.charAt(i + 1);
            if (next == 'Q') {
                int end = p.indexOf("\\E", i + 2);
                int stop = end < 0 ? p.length() : end;
                if (stop > i + 2) {
                    total[depth] = cap(total[depth] + (stop - i - 2));
                    last[depth] = 1;
                }
                i = end < 0 ? p.length() : end + 2;
                return;
            }
            i += 2;
            if ((next == 'p' || next == 'P' || next == 'x') && i < p.length() && p.charAt(i) == '{') {
                int close = p.indexOf('}', i);
                i = close < 0 ? p.length() : close + 1;
            }
            element(1);
        }

        void charClass() {
            int j = i + 1;
            if (j < p.length() && p.charAt(j) == '^') {
                j++;
            }
            if (j < p.length() && p.charAt(j) == ']') {
                j++; // a leading ] is a literal
            }
            while (j < p.length() && p.charAt(j) != ']') {
                char c = p.charAt(j);
                if (c == '\\') {
                    j += 2;
                } else if (c == '[' && j + 1 < p.length() && p.charAt(j + 1) == ':') {
                    int close = p.indexOf(":]", j + 2);
                    j = close < 0 ? p.length() : close + 2;
                } else if (c == '[') {
                    javaOnly = "a class inside a class (`[a[b]]`) is Java syntax; RE2 reads the inner [ as a character (write \\[ for one)";
                    return;
                } else if (c == '&' && j + 1 < p.length() && p.charAt(j + 1) == '&') {
                    javaOnly = "class intersection (`&&`) is Java syntax; RE2 reads it as two & characters";
                    return;
                } else {
                    j++;
                }
            }
            i = Math.min(p.length(), j + 1);
            element(1);
        }

        /** {n}, {n,} or {n,m}; anything else starting with { is a literal brace, as in RE2. */
        void repeat() {
            int j = i + 1;
            long min = 0;
            int digits = 0;
            while (j < p.length() && Character.isDigit(p.charAt(j)) && digits < 9) {
                min = min * 10 + (p.charAt(j++) - '0');
                digits++;
            }
            long max = min;
            boolean valid = digits > 0;
            if (valid && j < p.length() && p.charAt(j) == ',') {
                j++;
                int maxDigits = 0;
                long m = 0;
                while (j < p.length() && Character.isDigit(p.charAt(j)) && maxDigits < 9) {
                    m = m * 10 + (p.charAt(j++) - '0');
                    maxDigits++;
                }
                max = maxDigits == 0 ? min + 1 : Math.max(min, m);
            }
            valid &= j < p.length() && p.charAt(j) == '}';
            if (!valid) {
                element(1);
                i++;
                return;
            }
            i = j + 1;
            long copies = Math.max(1, max);
            long grown = last[depth] > LIMIT / copies ? LIMIT : last[depth] * copies;
            total[depth] = cap(total[depth] - last[depth] + grown);
            last[depth] = grown;
        }

        static final long LIMIT = Long.MAX_VALUE / 4;

        /** Sums saturate, so no count can overflow. */
        static long cap(long v) {
            return Math.min(v, LIMIT);
        }
    }
}
