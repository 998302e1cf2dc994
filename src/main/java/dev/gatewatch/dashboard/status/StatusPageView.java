package dev.gatewatch.dashboard.status;

import java.time.Instant;
import java.util.List;

/** An owner's status page settings, as the API and the settings form show them. */
public record StatusPageView(String slug, String title, String description, boolean enabled, boolean showDetails,
                             List<StatusPageRequest.Group> groups, List<String> embedOrigins, String url, Instant updatedAt) {
}
