package dev.gatewatch.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.gatewatch.analysis.model.Classification;
import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.analysis.model.StreamState;

/**
 * Where failures are, from the latest sample of every live (region, resolver). The order of the tests matters: a
 * resolver, address or CDN node that explains every failure exactly is named before regions are counted, because one
 * bad DNS answer fails that resolver in every region at once.
 */
final class Scopes {

    private Scopes() {
    }

    static Scope of(List<StreamState> view) {
        List<Sample> all = view.stream().map(StreamState::latest).toList();
        List<Sample> bad = all.stream().filter(s -> !s.ok()).toList();
        List<Sample> good = all.stream().filter(Sample::ok).toList();
        Map<String, List<Sample>> byRegion = group(all, Sample::region);
        List<String> live = List.copyOf(byRegion.keySet());
        List<String> badRegions = sorted(bad, Sample::region);
        List<String> badResolvers = sorted(bad, Sample::resolver);
        Map<String, List<String>> addresses = new TreeMap<>();
        for (Sample s : bad) {
            if (s.resolvedIp() != null) {
                addresses.computeIfAbsent(s.resolver(), k -> new ArrayList<>());
                if (!addresses.get(s.resolver()).contains(s.resolvedIp())) {
                    addresses.get(s.resolver()).add(s.resolvedIp());
                }
            }
        }
        List<String> goodIps = sorted(good, Sample::resolvedIp);
        List<String> badPops = sorted(bad, Sample::cdnPop);
        List<String> goodPops = sorted(good, Sample::cdnPop);
        long regionsDown = byRegion.values().stream().filter(rs -> rs.stream().noneMatch(Sample::ok)).count();
        long regionsMostlyDown = byRegion.values().stream().filter(rs -> rs.stream().filter(s -> !s.ok()).count() * 2 > rs.size()).count();
        int quorum = live.size() / 2 + 1;

        Extent extent;
        boolean outage;
        if (bad.isEmpty()) {
            extent = Extent.WHOLE;
            outage = false;
        } else if (good.isEmpty()) {
            extent = Extent.WHOLE;
            outage = true;
        } else if (sameSet(bad, all, s -> badResolvers.contains(s.resolver()))) {
            extent = Extent.RESOLVER;
            outage = false;
        } else if (bad.stream().allMatch(s -> s.resolvedIp() != null) && good.stream().allMatch(s -> s.resolvedIp() != null)
                && disjoint(sorted(bad, Sample::resolvedIp), goodIps)) {
            extent = Extent.ADDRESS;
            outage = false;
        } else if (bad.stream().allMatch(s -> s.cdnPop() != null) && !goodPops.isEmpty() && disjoint(badPops, goodPops)) {
            extent = Extent.CDN_NODE;
            outage = false;
        } else if (regionsDown >= quorum) {
            extent = Extent.REGIONS;
            outage = true;
        } else if (sameSet(bad, all, s -> byRegion.get(s.region()).stream().noneMatch(Sample::ok))) {
            extent = Extent.REGIONS;
            outage = false;
        } else {
            extent = Extent.MIXED;
            outage = regionsMostlyDown >= quorum;
        }
        return new Scope(extent, badRegions, badResolvers, addresses, goodIps, badPops, goodPops, bad.size(), all.size(),
                live, outage);
    }

    /** Latency scope: the slow regions and resolvers. */
    static Scope latency(List<StreamState> view, int limitMs) {
        List<Sample> all = view.stream().map(StreamState::latest).toList();
        List<Sample> slow = all.stream().filter(s -> s.totalMs() > limitMs).toList();
        return new Scope(Extent.LATENCY, sorted(slow, Sample::region), sorted(slow, Sample::resolver), Map.of(),
                List.of(), sorted(slow, Sample::cdnPop), List.of(), slow.size(), all.size(), sorted(all, Sample::region),
                false);
    }

    static Classification verdict(Scope scope) {
        return scope.quorum() ? Classification.OUTAGE : Classification.PARTIAL;
    }

    /** Whether the failing samples are exactly those of {@code all} matching the predicate. */
    private static boolean sameSet(List<Sample> bad, List<Sample> all, java.util.function.Predicate<Sample> p) {
        return all.stream().filter(p).count() == bad.size() && bad.stream().allMatch(p);
    }

    private static boolean disjoint(Collection<String> a, Collection<String> b) {
        return a.stream().noneMatch(b::contains);
    }

    private static Map<String, List<Sample>> group(List<Sample> samples, Function<Sample, String> key) {
        return samples.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    }

    private static List<String> sorted(List<Sample> samples, Function<Sample, String> key) {
        Set<String> set = samples.stream().map(key).filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
        return List.copyOf(set);
    }
}
