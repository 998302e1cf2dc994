package dev.gatewatch.check.schedule;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Each owner's share of a checker's slots, so one owner's slow or hanging targets cannot hold the slots another owner's
 * checks need. An owner may hold {@code perOwner} slots; past that only while more than {@code perOwner} slots stay free
 * for everybody else. One owner alone on a node can therefore use all but {@code perOwner} of them.
 */
public final class OwnerShares {

    private final int capacity;
    private final int perOwner;
    private final Map<Long, Integer> held = new HashMap<>();
    private int total;

    /** @param share the fraction of {@code capacity} one owner is sure to get, e.g. 0.25 */
    public OwnerShares(int capacity, double share) {
        this.capacity = capacity;
        this.perOwner = Math.max(1, (int) Math.floor(capacity * share));
    }

    /** Takes a slot for {@code owner} if its share allows; the caller gives it back with {@link #release}. */
    public synchronized boolean admit(long owner) {
        if (!allows(held.getOrDefault(owner, 0))) {
            return false;
        }
        held.merge(owner, 1, Integer::sum);
        total++;
        return true;
    }

    /** Takes a slot whatever the shares say (work this node already holds, such as checks through a database outage). */
    public synchronized void force(long owner) {
        held.merge(owner, 1, Integer::sum);
        total++;
    }

    public synchronized void release(long owner) {
        held.computeIfPresent(owner, (k, n) -> n > 1 ? n - 1 : null);
        total--;
    }

    /** Slots held now. */
    public synchronized int total() {
        return total;
    }

    /** Slots free now. */
    public synchronized int room() {
        return Math.max(0, capacity - total);
    }

    /** Owners who may not take another slot right now (so claims skip their monitors). */
    public synchronized Set<Long> saturated() {
        Set<Long> out = new HashSet<>();
        held.forEach((owner, n) -> {
            if (!allows(n)) {
                out.add(owner);
            }
        });
        return out;
    }

    private boolean allows(int ownerHolds) {
        return total < capacity && (ownerHolds < perOwner || total < capacity - perOwner);
    }
}
