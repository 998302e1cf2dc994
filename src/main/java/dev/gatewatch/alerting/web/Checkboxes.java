package dev.gatewatch.alerting.web;

import java.util.ArrayList;
import java.util.List;

/** Values of ticked checkboxes as a form posts them (absent when none is ticked). */
public final class Checkboxes {

    private Checkboxes() {
    }

    /** Ids; one that is not a number is kept as an id nothing has, so the API names it. */
    public static List<Long> ids(List<String> values) {
        List<Long> out = new ArrayList<>();
        for (String v : values == null ? List.<String>of() : values) {
            try {
                out.add(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                out.add(-1L);
            }
        }
        return out;
    }

    public static List<String> values(List<String> values) {
        return values == null ? List.of() : values;
    }
}
