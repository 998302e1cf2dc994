package dev.gatewatch.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.gatewatch.analysis.Explainer;
import dev.gatewatch.analysis.model.Deployment;
import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.analysis.model.Snapshot;
import dev.gatewatch.api.Durations;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.cdn.ErrorSource;
import dev.gatewatch.diagnosis.Step.Command;

/**
 * Turns the checks of one diagnosis into a verdict and the next steps for the visitor and the owner. The reading of
 * failures (who answered, where they fail, the likely cause) is the analyzer's ({@link Explainer#snapshot}); what is
 * added here is what each audience can do about it.
 */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * What is known at {@code at}.
     *
     * @param asked      the regions asked
     * @param answered   the regions whose checks are all in
     * @param closed     whether the deadline has passed (regions not in by then did not answer)
     * @param slowMs     a passing check slower than this makes the site slow
     * @param deployment the monitor's deployment in progress, for an owner's diagnosis; null if none or anonymous
     */
    public record Observation(List<CheckResult> checks, List<String> asked, Set<String> answered, boolean closed, int slowMs,
                              Deployment deployment, Instant at) {
    }

    /** Public resolvers a visitor can switch to, by the address a check names them by. */
    private static final Map<String, String> PUBLIC_RESOLVERS = Map.of(
            "1.1.1.1", "Cloudflare", "1.0.0.1", "Cloudflare", "8.8.8.8", "Google", "8.8.4.4", "Google",
            "9.9.9.9", "Quad9", "149.112.112.112", "Quad9");

    public static Verdict of(Observation o) {
        List<String> missing = o.asked().stream().filter(r -> !o.answered().contains(r)).toList();
        List<String> silent = o.closed() ? missing : List.of();
        List<String> waiting = o.closed() ? List.of() : missing;
        if (o.checks().isEmpty()) {
            return o.closed()
                    ? new Verdict(Finding.NO_ANSWER, "No region answered within the deadline, so nothing is known about the site yet: "
                            + "Gatewatch's checkers did not report. Diagnose again in a minute.", null, null, null, List.of(), List.of(), silent, waiting)
                    : new Verdict(Finding.CHECKING, "Checking from " + words(o.asked()) + "…", null, null, null, List.of(), List.of(),
                            silent, waiting);
        }
        List<Sample> samples = samples(o.checks());
        Snapshot snap = Explainer.snapshot(samples, o.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String so = waiting.isEmpty() ? "" : "So far: ";
        if (snap.allPass()) {
            List<CheckResult> slow = o.checks().stream().filter(c -> c.timings().totalMs() > o.slowMs()).toList();
            if (!slow.isEmpty()) {
                return slow(o, slow, so, silent, waiting);
            }
            int slowest = o.checks().stream().mapToInt(c -> c.timings().totalMs()).max().orElse(0);
            String headline = so + "Up for everyone: " + (o.checks().size() == 1 ? "the check" : "all " + o.checks().size() + " checks")
                    + " from " + regions(o.checks())
                    + " through " + resolvers(o.checks()) + " passed (" + statuses(o.checks()) + ", the slowest in " + slowest + " ms).";
            return new Verdict(Finding.UP, headline, null, snap.explanation().agreement(), null, upForVisitor(o.checks()),
                    List.of(Step.of("Nothing fails from outside",
                            "If visitors still report errors, ask which network, DNS resolver and region they use, and whether the "
                                    + "error page is an old one: purge any error your CDN may have cached.")), silent, waiting);
        }
        Finding finding = finding(snap.scope());
        String headline = so + headline(finding, snap, o.checks());
        boolean deploying = o.deployment() != null && snap.evidence().blipKind();
        String cause = snap.explanation().cause() + (deploying ? " " + deploymentWords(o.deployment(), o.at())
                + ": its restart explains this." : "");
        return new Verdict(finding, headline, snap.explanation().layer(), snap.explanation().agreement(), cause,
                downForVisitor(finding, snap, o.checks()), downForOwner(finding, snap, o, deploying), silent, waiting);
    }

    private static Finding finding(Scope s) {
        return switch (s.extent()) {
            case WHOLE -> Finding.DOWN_EVERYWHERE;
            case RESOLVER -> Finding.DOWN_VIA_RESOLVERS;
            case ADDRESS, CDN_NODE -> Finding.DOWN_AT_NODES;
            case REGIONS -> s.regions().size() == s.liveRegions().size() ? Finding.DOWN_EVERYWHERE : Finding.DOWN_IN_REGIONS;
            case MIXED, LATENCY -> Finding.PARTLY_DOWN;
        };
    }

    private static String headline(Finding f, Snapshot snap, List<CheckResult> checks) {
        Scope s = snap.scope();
        String failure = snap.failure();
        return switch (f) {
            case DOWN_EVERYWHERE -> "Down for everyone: " + failure + ", " + (s.liveRegions().size() == 1 ? "in the one region checked ("
                    + s.liveRegions().get(0) + ")" : "in every region") + " and through " + (s.resolvers().size() == 1 ? "its resolver"
                    : "every resolver") + ".";
            case DOWN_VIA_RESOLVERS -> "Down for some visitors, depending on their DNS: " + failure + " through " + words(s.resolvers())
                    + ", while " + words(passing(checks, CheckResult::resolver)) + " reach a working site.";
            case DOWN_AT_NODES -> "Down for some visitors: " + failure + " from " + (s.extent() == Extent.CDN_NODE
                    ? "CDN node " + words(s.pops()) : words(s.failingAddresses())) + ", while " + (s.extent() == Extent.CDN_NODE
                    ? words(s.healthyPops()) : words(s.healthyAddresses())) + " serve the site.";
            case DOWN_IN_REGIONS -> "Down from " + words(s.regions()) + ": " + failure + ", while " + words(passing(checks, CheckResult::region))
                    + " reach the site.";
            default -> "Partly down: " + s.failingStreams() + " of " + s.streams() + " checks fail (" + failure + "), with no single "
                    + "region, resolver or node in common.";
        };
    }

    private static Verdict slow(Observation o, List<CheckResult> slow, String so, List<String> silent, List<String> waiting) {
        int slowest = slow.stream().mapToInt(c -> c.timings().totalMs()).max().orElse(0);
        Phase phase = slowestPhase(slow);
        String where = slow.size() == o.checks().size() ? "every check" : slow.size() + " of " + o.checks().size() + " checks";
        String headline = so + "Up, but slow: " + where + " took over " + o.slowMs() + " ms (the slowest " + slowest + " ms), most of it "
                + phase.words + ".";
        List<Step> visitor = new ArrayList<>();
        visitor.add(Step.of(slow.size() == o.checks().size() ? "It is slow for everyone, not just you" : "It is slow from some places",
                "The site answers, but slowly " + (slow.size() == o.checks().size() ? "from everywhere Gatewatch checks" : "from "
                        + words(distinct(slow, CheckResult::region)) + " through " + words(distinct(slow, CheckResult::resolver)))
                        + ". Give it time to load, or try again in a few minutes."));
        return new Verdict(Finding.SLOW, headline, "The site answers, but slowly.", null, phase.cause, visitor,
                List.of(Step.of("Find what is slow", phase.step)), silent, waiting);
    }

    /** The phase of a check where the time went. */
    private enum Phase {
        DNS("resolving the name", "DNS answers are slow: the name servers are overloaded or far away.",
                "Check the authoritative DNS servers' response times (dig +stats) and the record TTLs."),
        CONNECT("connecting", "Connecting takes most of the time: a congested network path or a server whose accept queue is full.",
                "Check the network path (mtr) and the server's connection backlog and load."),
        TLS("in the TLS handshake", "The TLS handshake is slow: an overloaded TLS terminator, a long certificate chain, or slow "
                + "OCSP stapling.", "Check the TLS terminator's CPU and its certificate chain (openssl s_client -connect host:443)."),
        TTFB("waiting for the first byte", "The back end is slow to produce a response: it is overloaded or waiting on something such "
                + "as the database or an external API.",
                "Look at the application's CPU, memory, worker pool and slow queries; if it is load, scale out or raise the proxy's "
                        + "timeouts until it is."),
        DOWNLOAD("downloading the page", "The page itself takes long to arrive: a large body or a slow link from the server.",
                "Check the page's size and compression, and the server's outbound bandwidth; serve large assets from a CDN.");

        final String words;
        final String cause;
        final String step;

        Phase(String words, String cause, String step) {
            this.words = words;
            this.cause = cause;
            this.step = step;
        }
    }

    private static Phase slowestPhase(List<CheckResult> slow) {
        Map<Phase, Long> spent = new LinkedHashMap<>();
        for (CheckResult c : slow) {
            var t = c.timings();
            spent.merge(Phase.DNS, value(t.dnsMs()), Long::sum);
            spent.merge(Phase.CONNECT, value(t.connectMs()), Long::sum);
            spent.merge(Phase.TLS, value(t.tlsMs()), Long::sum);
            spent.merge(Phase.TTFB, value(t.ttfbMs()), Long::sum);
            spent.merge(Phase.DOWNLOAD, value(t.downloadMs()), Long::sum);
        }
        return spent.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(Phase.TTFB);
    }

    private static long value(Integer ms) {
        return ms == null ? 0 : ms;
    }

    private static List<Step> upForVisitor(List<CheckResult> checks) {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("It works from here: the problem is between you and the site",
                "Every region and resolver Gatewatch tried reaches the site. If you still see an error, it is an old page your "
                        + "browser kept, your DNS sending you somewhere else, or your network."));
        steps.add(hardRefresh());
        steps.add(flushDns());
        List<String> working = passing(checks, CheckResult::resolver);
        if (!publicResolvers(working).isEmpty()) {
            steps.add(switchDns(working, "They reach a working site."));
        }
        steps.add(vpn());
        return steps;
    }

    private static List<Step> downForVisitor(Finding f, Snapshot snap, List<CheckResult> checks) {
        List<Step> steps = new ArrayList<>();
        Scope s = snap.scope();
        boolean restartKind = snap.evidence().blipKind();
        switch (f) {
            case DOWN_EVERYWHERE -> {
                steps.add(Step.of("It's not you", "The site fails from every region and through every resolver Gatewatch tried, so "
                        + "nothing on your side (browser, DNS, network, VPN) will fix it. Only the site's owner can."));
                steps.add(restartKind ? waitAndRetry()
                        : Step.of("Check back later", "This kind of failure (" + snap.failure() + ") does not usually clear by itself "
                        + "within a minute; the owner has to fix it."));
            }
            case DOWN_VIA_RESOLVERS, DOWN_AT_NODES -> {
                List<String> good = passing(checks, CheckResult::resolver);
                if (!good.isEmpty()) {
                    steps.add(switchDns(good, f == Finding.DOWN_VIA_RESOLVERS
                            ? "They send visitors to " + words(s.healthyAddresses()) + ", which works; " + words(s.resolvers())
                            + " send" + (s.resolvers().size() == 1 ? "s" : "") + " them to " + words(s.failingAddresses()) + ", which fails."
                            : "Through them, Gatewatch reached a working " + (s.extent() == Extent.CDN_NODE ? "CDN node." : "address.")));
                }
                steps.add(flushDns());
                steps.add(hardRefresh());
                if (f == Finding.DOWN_AT_NODES) {
                    steps.add(vpn());
                }
            }
            case DOWN_IN_REGIONS -> {
                steps.add(Step.of("It depends on where you are", "The site fails from " + words(s.regions()) + " and works from "
                        + words(passing(checks, CheckResult::region)) + ": the route from some places is broken, not the site."));
                steps.add(vpn());
                steps.add(restartKind ? waitAndRetry() : tryLater());
            }
            default -> {
                steps.add(restartKind ? waitAndRetry() : tryLater());
                steps.add(hardRefresh());
            }
        }
        return steps;
    }

    private static List<Step> downForOwner(Finding f, Snapshot snap, Observation o, boolean deploying) {
        List<Step> steps = new ArrayList<>();
        if (deploying) {
            steps.add(Step.of("Let the deployment finish", deploymentWords(o.deployment(), o.at()) + ". If the site is not back "
                    + "within a minute of its end, the new version is failing: roll back or read its logs."));
        }
        steps.add(Step.of("Start here", snap.explanation().firstStep()));
        Set<Integer> statuses = snap.evidence().statuses();
        Set<String> classes = snap.evidence().errorClasses();
        if (statuses.contains(504) || statuses.contains(524) || classes.contains(ErrorClass.READ_TIMEOUT.code())) {
            steps.add(Step.of("If it is load, give it room", "A back end that answers too late for the proxy: scale it out, or raise the "
                    + "proxy's timeouts (nginx proxy_read_timeout, the CDN's origin timeout) while you find the slow part."));
        }
        boolean behindCdn = o.checks().stream().anyMatch(c -> c.edge() != null && c.edge().provider() != null);
        if (behindCdn && statuses.stream().anyMatch(x -> x >= 500)) {
            steps.add(Step.of("Purge the CDN's cached error", "Once it is fixed, purge the cache at your CDN: an error page it cached "
                    + "can be served after the origin is back."));
        }
        return steps;
    }

    private static Step waitAndRetry() {
        return Step.of("Wait 30–60 seconds and reload", "This is the kind of error a back end restarting (for example during a deploy) "
                + "gives; those usually clear within a minute.");
    }

    private static Step tryLater() {
        return Step.of("Try again in a few minutes", "Failures like these usually need someone to fix them; reloading at once will "
                + "not help.");
    }

    private static Step hardRefresh() {
        return new Step("Reload without your browser's cache", "So that an error page kept from before is not shown again.", List.of(
                new Command("Windows, Linux", "Ctrl+Shift+R (or Ctrl+F5)"), new Command("macOS", "Cmd+Shift+R"),
                new Command("Any browser", "open the page in a private window")));
    }

    private static Step flushDns() {
        return new Step("Flush your DNS cache", "Your computer may still use an old answer that points to a broken address.", List.of(
                new Command("Windows", "ipconfig /flushdns"),
                new Command("macOS", "sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder"),
                new Command("Linux (systemd)", "resolvectl flush-caches"),
                new Command("Chrome", "chrome://net-internals/#dns, then Clear host cache"),
                new Command("Phone", "turn airplane mode on and off")));
    }

    private static Step switchDns(List<String> working, String why) {
        List<String> resolvers = publicResolvers(working);
        if (resolvers.isEmpty()) {
            return new Step("Switch to a DNS resolver that points to a working address", why + " The resolvers that worked here ("
                    + words(working) + ") may not be open to you; a public one such as 1.1.1.1 was not among those checked, so "
                    + "whether it helps is not known. Then flush your DNS cache and reload.", List.of(
                    new Command("Windows", "netsh interface ip set dns \"Wi-Fi\" static <resolver>"),
                    new Command("macOS", "networksetup -setdnsservers Wi-Fi <resolver>"),
                    new Command("Linux (systemd)", "resolvectl dns <interface> <resolver>")));
        }
        String first = resolvers.get(0);
        String second = resolvers.size() > 1 ? resolvers.get(1) : first;
        return new Step("Switch your DNS to " + String.join(" or ", resolvers.stream().map(r -> r + " (" + PUBLIC_RESOLVERS.get(r) + ")")
                .toList()), why + " Then flush your DNS cache and reload.", List.of(
                new Command("Windows", "netsh interface ip set dns \"Wi-Fi\" static " + first),
                new Command("macOS", "networksetup -setdnsservers Wi-Fi " + first + (second.equals(first) ? "" : " " + second)),
                new Command("Linux (systemd)", "resolvectl dns <interface> " + first + (second.equals(first) ? "" : " " + second)),
                new Command("Phone", "Wi-Fi settings › DNS (or Private DNS on Android)")));
    }

    private static Step vpn() {
        return Step.of("Try without your VPN or proxy (or with one)", "A VPN or proxy changes the route and the node you reach; "
                + "turning it off or on may get you to a working one.");
    }

    private static String deploymentWords(Deployment d, Instant at) {
        return "Deployment #" + d.id() + " is in progress (started " + Durations.words(Duration.between(d.start(), at)) + " ago)";
    }

    /** The values of the checks that passed, sorted, without those of any that failed. */
    private static List<String> passing(List<CheckResult> checks, java.util.function.Function<CheckResult, String> key) {
        Set<String> bad = new TreeSet<>(checks.stream().filter(c -> !c.ok()).map(key).toList());
        return distinct(checks.stream().filter(CheckResult::ok).filter(c -> !bad.contains(key.apply(c))).toList(), key);
    }

    private static List<String> distinct(List<CheckResult> checks, java.util.function.Function<CheckResult, String> key) {
        return List.copyOf(new TreeSet<>(checks.stream().map(key).filter(x -> x != null).toList()));
    }


    private static List<String> publicResolvers(List<String> resolvers) {
        return resolvers.stream().filter(PUBLIC_RESOLVERS::containsKey).limit(2).toList();
    }

    private static String regions(List<CheckResult> checks) {
        List<String> r = distinct(checks, CheckResult::region);
        return r.size() == 1 ? "region " + r.get(0) : r.size() + " regions";
    }

    private static String resolvers(List<CheckResult> checks) {
        List<String> r = distinct(checks, CheckResult::resolver);
        return r.size() == 1 ? "resolver " + r.get(0) : r.size() + " resolvers";
    }

    private static String statuses(List<CheckResult> checks) {
        List<String> s = distinct(checks.stream().filter(c -> c.status() != null).toList(), c -> String.valueOf(c.status()));
        return s.isEmpty() ? "no HTTP status" : "HTTP " + String.join("/", s);
    }

    /** "a", "a and b", "a, b and c". */
    static String words(List<String> items) {
        if (items.isEmpty()) {
            return "none";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** The checks as the analyzer's samples (ids in arrival order). */
    static List<Sample> samples(List<CheckResult> checks) {
        List<Sample> out = new ArrayList<>();
        long id = 1;
        for (CheckResult c : checks) {
            var e = c.edge();
            var t = c.timings();
            out.add(new Sample(id++, c.region(), c.resolver(), c.startedAt(), c.ok(), c.status(), c.errorClass(), t.totalMs(), t.dnsMs(),
                    t.connectMs(), t.ttfbMs(), c.resolvedIp(), e == null ? null : e.provider(), e == null ? null : e.pop(),
                    e == null ? ErrorSource.NONE : e.errorSource(), e == null ? null : e.generator()));
        }
        return out;
    }
}
