package dev.gatewatch.dashboard.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import dev.gatewatch.check.service.LatestView;

/**
 * The newest check of every (region, resolver) as a table: a row per region, a column per resolver, null where that
 * pair has no result (a resolver added later, a region that joined).
 */
public record StreamGrid(List<String> resolvers, List<Row> rows) {

    public record Row(String region, List<LatestView> cells) {
    }

    public boolean empty() {
        return rows.isEmpty();
    }

    public static StreamGrid of(List<LatestView> latest) {
        List<String> resolvers = new ArrayList<>(new TreeSet<>(latest.stream().map(LatestView::resolver).toList()));
        List<Row> rows = new ArrayList<>();
        for (String region : new TreeSet<>(latest.stream().map(LatestView::region).toList())) {
            List<LatestView> cells = new ArrayList<>();
            for (String resolver : resolvers) {
                cells.add(latest.stream().filter(l -> l.region().equals(region) && Objects.equals(l.resolver(), resolver))
                        .findFirst().orElse(null));
            }
            rows.add(new Row(region, cells));
        }
        return new StreamGrid(resolvers, rows);
    }
}
