package dev.gatewatch.dashboard.status;

import java.util.List;

/**
 * An owner's public status page as the API takes it; the whole page is replaced on every save.
 *
 * @param slug        the address: {@code /status/{slug}}; 1-40 of a-z, 0-9 and inner hyphens, unique
 * @param enabled     whether the page (and its badges) can be seen; off by default
 * @param showDetails opt-in: resolver names, resolved addresses and CDN nodes appear in public incident texts
 * @param groups      the monitors shown, in groups and in order
 * @param embedOrigins opt-in: sites that may show the page in a frame ({@code https://www.example.com}, or {@code *}
 *                     for any); none by default
 */
public record StatusPageRequest(String slug, String title, String description, Boolean enabled, Boolean showDetails, List<Group> groups,
                                List<String> embedOrigins) {

    /** A heading ("Website", "API") over some monitors; the name may be empty for a page without headings. */
    public record Group(String name, List<Entry> monitors) {
    }

    /** A monitor on the page, under its public name (the monitor's own name if empty). */
    public record Entry(Long monitorId, String displayName) {
    }
}
