package dev.gatewatch.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the result writer tells analyzers which monitors have new results: a PostgreSQL notification on {@link #CHANNEL},
 * sent inside the transaction that stores them (so it arrives only if they are committed), whose payload lists the
 * monitors' ids. Notifications are a hint that saves the analyzer a scan; it still scans now and then for any it missed.
 */
public final class ResultNotices {

    public static final String CHANNEL = "gatewatch_results";

    /** PostgreSQL caps a payload below 8000 bytes. */
    static final int MAX_PAYLOAD = 7900;

    private ResultNotices() {
    }

    /** The payloads that name these monitors, each under the cap. */
    public static List<String> payloads(Collection<Long> monitorIds) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (long id : new HashSet<>(monitorIds)) {
            String s = Long.toString(id);
            if (b.length() + s.length() + 1 > MAX_PAYLOAD) {
                out.add(b.toString());
                b.setLength(0);
            }
            b.append(b.length() == 0 ? "" : ",").append(s);
        }
        if (b.length() > 0) {
            out.add(b.toString());
        }
        return out;
    }

    /** The monitor ids a payload names; anything that is not one is ignored. */
    public static Set<Long> monitors(String payload) {
        Set<Long> ids = new HashSet<>();
        if (payload == null) {
            return ids;
        }
        for (String part : payload.split(",")) {
            try {
                ids.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException ignored) {
                // not ours, or mangled: the analyzer's periodic scan covers it
            }
        }
        return ids;
    }
}
