package dev.gatewatch.analysis.model;

import java.util.List;
import java.util.Map;

/**
 * Where an episode's failures are, from the latest sample of every live (region, resolver).
 *
 * @param regions         regions with failing checks
 * @param resolvers       resolvers with failing checks
 * @param addresses       per failing resolver, the addresses it returned in failing checks
 * @param healthyAddresses addresses that answered well, for contrast
 * @param pops            CDN nodes that answered failing checks
 * @param healthyPops     CDN nodes that answered well
 * @param liveRegions     regions with data at the time
 * @param quorum          whether the failing regions reach a quorum (a majority of the regions with data): an outage
 */
public record Scope(Extent extent, List<String> regions, List<String> resolvers, Map<String, List<String>> addresses,
                    List<String> healthyAddresses, List<String> pops, List<String> healthyPops, int failingStreams,
                    int streams, List<String> liveRegions, boolean quorum) {

    /** Every address a failing check reached, sorted once over all resolvers. */
    public List<String> failingAddresses() {
        return addresses.values().stream().flatMap(List::stream).distinct().sorted().toList();
    }

    /** A short label: "whole", "resolver 8.8.8.8 (127.0.0.3), CDN node FRA", "regions eu-west", "CDN node FRA". */
    public String label() {
        return switch (extent) {
            case WHOLE -> "everywhere";
            case REGIONS -> (regions.size() == 1 ? "region " : "regions ") + String.join(", ", regions) + node();
            case RESOLVER -> (resolvers.size() == 1 ? "resolver " : "resolvers ") + String.join(", ", resolvers.stream()
                    .map(r -> addresses.getOrDefault(r, List.of()).isEmpty() ? r : r + " (" + String.join(", ", addresses.get(r)) + ")")
                    .toList()) + node();
            case ADDRESS -> "address " + String.join(", ", failingAddresses())
                    + node();
            case CDN_NODE -> (pops.size() == 1 ? "CDN node " : "CDN nodes ") + String.join(", ", pops);
            case MIXED -> failingStreams + " of " + streams + " checks in " + String.join(", ", regions);
            case LATENCY -> "response time";
        };
    }

    /** Whether the failing answers came from CDN nodes other than those that answered well. */
    public boolean byNode() {
        return !pops.isEmpty() && !healthyPops.isEmpty() && pops.stream().noneMatch(healthyPops::contains);
    }

    /** ", CDN node FRA" where the failing answers came from their own nodes. */
    private String node() {
        return byNode() ? (pops.size() == 1 ? ", CDN node " : ", CDN nodes ") + String.join(", ", pops) : "";
    }
}
