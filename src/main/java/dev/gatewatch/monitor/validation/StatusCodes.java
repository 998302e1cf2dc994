package dev.gatewatch.monitor.validation;

import java.util.ArrayList;
import java.util.List;

/** Accepted HTTP status codes written as {@code 200-299,301,302}. */
public record StatusCodes(List<int[]> ranges) {

    public static final String DEFAULT = "200-399";

    /** Parses the text or throws IllegalArgumentException saying what is wrong. */
    public static StatusCodes parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must list status codes or ranges such as 200-299,301");
        }
        String[] parts = text.split(",");
        if (parts.length > 20) {
            throw new IllegalArgumentException("may list at most 20 codes or ranges");
        }
        List<int[]> ranges = new ArrayList<>();
        for (String raw : parts) {
            String part = raw.strip();
            int dash = part.indexOf('-');
            int lo = code(dash < 0 ? part : part.substring(0, dash).strip());
            int hi = dash < 0 ? lo : code(part.substring(dash + 1).strip());
            if (hi < lo) {
                throw new IllegalArgumentException("range " + part + " runs backwards");
            }
            ranges.add(new int[] { lo, hi });
        }
        return new StatusCodes(List.copyOf(ranges));
    }

    private static int code(String text) {
        if (!text.matches("\\d{3}")) {
            throw new IllegalArgumentException("'" + text + "' is not a status code (100-599)");
        }
        int code = Integer.parseInt(text);
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException(code + " is not a status code (100-599)");
        }
        return code;
    }

    public boolean accepts(int status) {
        return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
    }

    /** Canonical text: no spaces, single codes without a dash. */
    public String text() {
        return String.join(",", ranges.stream().map(r -> r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1]).toList());
    }
}
