package dev.gatewatch.dashboard.status;

import java.time.Instant;
import java.util.List;

import dev.gatewatch.dashboard.model.Health;
import dev.gatewatch.dashboard.model.Uptime;

/**
 * A status page as its visitors see it.
 *
 * @param url       the page's public address
 * @param overall   the worst public state among the page's monitors
 * @param incidents confirmed incidents of the last {@value StatusPageService#INCIDENT_DAYS} days, newest first
 * @param editedAt  when the owner last changed the page's settings
 * @param embedOrigins sites that may show the page in a frame; empty: none
 */
public record PublicPage(String slug, String url, String title, String description, Overall overall, List<Group> groups,
                         List<PublicIncident> incidents, Instant editedAt, List<String> embedOrigins) {

    public record Group(String name, List<Component> components) {
    }

    /**
     * One monitor on the page.
     *
     * @param strip the 90-day strip's cells, pre-rendered: a page with hundreds of monitors has tens of thousands of
     *              cells, too many to spend a template evaluation on each
     */
    public record Component(long monitorId, String name, Health health, Uptime quarter, String strip) {

        /** What visitors are told: deploy blips and unconfirmed failures are not news yet. */
        public String state() {
            return health.publicLabel();
        }

        public String stateCode() {
            return switch (health) {
                case DOWN -> "down";
                case PARTIAL, FLAPPING -> "partial";
                case DEGRADED -> "degraded";
                case PENDING, PAUSED -> "none";
                default -> "up";
            };
        }
    }

    /** The banner at the top. */
    public record Overall(String code, String text) {

        public static Overall of(List<Component> components) {
            int worst = components.stream().mapToInt(c -> switch (c.stateCode()) {
                case "down" -> 3;
                case "partial" -> 2;
                case "degraded" -> 1;
                default -> 0;
            }).max().orElse(0);
            return switch (worst) {
                case 3 -> new Overall("down", "Major outage");
                case 2 -> new Overall("partial", "Partial outage");
                case 1 -> new Overall("degraded", "Degraded performance");
                default -> new Overall("up", "All systems operational");
            };
        }
    }
}
