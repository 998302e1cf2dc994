package dev.gatewatch.dashboard.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gatewatch.api.Durations;
import dev.gatewatch.dashboard.model.Times;

/**
 * An incident in the words a status page uses: what visitors saw, where, and for how long; never the owner's internals
 * (resolver names, addresses, CDN nodes) unless the owner opted in.
 *
 * @param key     an opaque, stable name for the incident on this page (anchors, feed entry ids); not its database id
 * @param summary what happened and where, without the duration
 */
public record PublicIncident(String key, String title, String summary, boolean ongoing, Instant startedAt, Instant resolvedAt,
                             String duration) {

    /** Where an incident was, as the analyzer's scope records it. */
    public record Where(String extent, List<String> regions, List<String> resolvers, Map<String, List<String>> addresses, List<String> pops) {
    }

    public static PublicIncident of(String key, String monitor, String kind, Where where, boolean details, Instant startedAt,
            Instant resolvedAt, Instant now) {
        String title = switch (kind) {
            case "outage" -> "Outage";
            case "partial" -> "Partial outage";
            case "flapping" -> "Intermittent errors";
            case "degraded" -> "Slow responses";
            default -> "Incident";
        } + ": " + monitor;
        String summary = switch (kind) {
            case "outage" -> monitor + " could not be reached.";
            case "flapping" -> monitor + " was intermittently unavailable.";
            case "degraded" -> monitor + " responded slowly.";
            case "partial" -> partial(monitor, where, details);
            default -> monitor + " had problems.";
        };
        Instant end = resolvedAt != null ? resolvedAt : now;
        String took = Durations.words(Duration.between(startedAt, end));
        return new PublicIncident(key, title, summary, resolvedAt == null, startedAt, resolvedAt, took);
    }

    /** The page's text: what happened, then how long it lasted or has lasted so far. */
    public String body() {
        return summary + (ongoing ? " Ongoing for " + duration + "; we are on it." : " Resolved after " + duration + ".");
    }

    /** The feed's text, which must not change with every fetch while the incident goes on. */
    public String feedText() {
        return summary + (ongoing ? " Ongoing since " + Times.utc(startedAt) + "; we are on it." : " Resolved after " + duration + ".");
    }

    /** When the incident last changed: its end, or its start while it goes on. */
    public Instant updatedAt() {
        return resolvedAt != null ? resolvedAt : startedAt;
    }

    private static String partial(String monitor, Where w, boolean details) {
        String extent = w.extent() == null ? "" : w.extent().toLowerCase(java.util.Locale.ROOT);
        return switch (extent) {
            case "regions" -> monitor + " could not be reached from " + String.join(", ", w.regions()) + "; other regions were unaffected.";
            case "resolver", "address" -> "Some visitors could not reach " + monitor + ", depending on the DNS service they use."
                    + (details ? " Affected: " + resolvers(w) + "." : "");
            case "cdn_node" -> "Visitors served by some CDN locations could not reach " + monitor + "."
                    + (details && !w.pops().isEmpty() ? " Affected: CDN " + (w.pops().size() == 1 ? "node " : "nodes ")
                            + String.join(", ", w.pops()) + "." : "");
            default -> "Some requests to " + monitor + " failed" + (w.regions().isEmpty() ? "" : " in " + String.join(", ", w.regions())) + ".";
        };
    }

    private static String resolvers(Where w) {
        if (w.resolvers().isEmpty()) {
            return "addresses " + String.join(", ", w.addresses().values().stream().flatMap(List::stream).distinct().sorted().toList());
        }
        return String.join("; ", w.resolvers().stream().map(r -> {
            List<String> a = w.addresses().getOrDefault(r, List.of());
            return "resolver " + r + (a.isEmpty() ? "" : " (answered " + String.join(", ", a) + ")");
        }).toList());
    }
}
