package dev.gatewatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

import dev.gatewatch.api.Durations;

/**
 * The daily digest of an owner's failures that did not page: deploy blips and short transient failures.
 *
 * @param timeZone  the channel's zone, for the times shown
 * @param blips     oldest first
 */
public record Digest(Instant periodStart, Instant periodEnd, String timeZone, List<Blip> blips, String dashboardUrl) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE HH:mm");

    public Digest {
        blips = List.copyOf(blips);
    }

    /** One failure that cleared on its own. */
    public record Blip(long monitorId, String monitorName, String monitorUrl, String kind, Instant startedAt, Instant endedAt,
                       Long deploymentId) {

        public long seconds() {
            return Math.max(0, Duration.between(startedAt, endedAt).toSeconds());
        }

        /** "41 s", "1 min 5 s". */
        public String duration() {
            return Durations.words(Duration.ofSeconds(seconds()));
        }

        public String host() {
            return Alert.hostOf(monitorUrl, monitorName);
        }

        public boolean deploy() {
            return kind.equals("deploy_blip");
        }
    }

    /** "6 deploy blips, longest 41 s, all on shop.example.com". */
    public String summary() {
        List<Blip> deploys = blips.stream().filter(Blip::deploy).toList();
        List<Blip> others = blips.stream().filter(b -> !b.deploy()).toList();
        if (deploys.isEmpty()) {
            return count(others.size(), "short failure") + " that cleared without an alert" + detail(others);
        }
        String s = count(deploys.size(), "deploy blip") + detail(deploys);
        return others.isEmpty() ? s : s + "; " + count(others.size(), "other short failure");
    }

    public String subject() {
        return "[DIGEST] " + summary();
    }

    /** The local time a blip started, for listings ("Tue 14:02"). */
    public String local(Instant at) {
        return TIME.format(at.atZone(ZoneId.of(timeZone)));
    }

    private static String detail(List<Blip> list) {
        Blip longest = list.stream().max(Comparator.comparingLong(Blip::seconds)).orElseThrow();
        long hosts = list.stream().map(Blip::host).distinct().count();
        String where = hosts == 1 ? (list.size() == 1 ? " on " : ", all on ") + longest.host()
                : " on " + hosts + " sites (longest on " + longest.host() + ")";
        return ", longest " + longest.duration() + where;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
