package dev.gatewatch.check.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an owner is told about Gatewatch's own gaps: the regions that check their monitors and have gone silent (no
 * checker heartbeat), and how many monitors no live region checks at all. A silent region's checks count as no data,
 * so its monitors are judged on the other regions alone; the owner should know that, not guess it from a flat chart.
 *
 * @param silent    silent regions that check at least one of the monitors, by name
 * @param unchecked active monitors that no live region checks
 */
public record Coverage(List<SilentRegion> silent, int unchecked) {

    /** @param monitors how many of the owner's active monitors this region checks */
    public record SilentRegion(String region, Instant since, int monitors) {
    }

    public static final Coverage FULL = new Coverage(List.of(), 0);

    /**
     * @param regions  every region with a checker lately ({@code CheckQueries#regions})
     * @param monitors each active monitor's regions (empty: every region)
     * @param grace    how long a region may have no live node before it counts as silent (a restart is not an outage)
     */
    public static Coverage of(List<RegionView> regions, List<List<String>> monitors, Instant now, Duration grace) {
        Set<String> live = regions.stream().filter(RegionView::live).map(RegionView::region).collect(Collectors.toSet());
        List<SilentRegion> silent = new ArrayList<>();
        for (RegionView r : regions) {
            if (r.live() || r.silentSince() == null || !r.silentSince().isBefore(now.minus(grace))) {
                continue;
            }
            int checked = (int) monitors.stream().filter(m -> m.isEmpty() || m.contains(r.region())).count();
            if (checked > 0) {
                silent.add(new SilentRegion(r.region(), r.silentSince(), checked));
            }
        }
        silent.sort((a, b) -> a.region().compareTo(b.region()));
        int unchecked = (int) monitors.stream().filter(m -> m.isEmpty() ? live.isEmpty() : m.stream().noneMatch(live::contains)).count();
        return new Coverage(List.copyOf(silent), unchecked);
    }

    public boolean full() {
        return silent.isEmpty() && unchecked == 0;
    }
}
