package dev.gatewatch.analysis;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.gatewatch.analysis.model.Classification;
import dev.gatewatch.analysis.model.Episode;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Explanation;
import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.Lasted;
import dev.gatewatch.analysis.model.Policy;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.analysis.model.Snapshot;
import dev.gatewatch.analysis.model.StreamState;
import dev.gatewatch.api.Durations;

/** Puts an episode's evidence into plain words: which layer answered, who agrees, the likely cause, the first step. */
public final class Explainer {

    private Explainer() {
    }

    /** What Cloudflare's own 52x pages mean. */
    private static final Map<Integer, String> CLOUDFLARE = Map.of(
            520, "the origin returned something unexpected",
            521, "the origin refused the connection",
            522, "the connection to the origin timed out",
            523, "the origin is unreachable",
            524, "the origin accepted the connection but did not answer in time",
            525, "the TLS handshake with the origin failed",
            526, "the origin's certificate is invalid",
            530, "the origin could not be reached");

    public static Explanation explain(Episode e, Policy policy, Instant now) {
        Evidence v = e.evidence();
        Scope scope = e.scope();
        // Once over, a range: the checks only bound when it began and ended.
        Lasted lasted = e.lasted();
        String duration = lasted != null ? lasted.words() : Durations.words(e.duration(now));
        if (e.kind() == Classification.DEGRADED) {
            return degraded(e, policy, duration);
        }
        String failure = failure(v);
        String layer = layer(v);
        String agreement = agreement(scope);
        String[] cause = cause(e, scope, v);
        String summary = switch (e.kind()) {
            case SUSPECT -> "Failing for " + duration + " (" + scope.label() + "): " + failure + "; confirming";
            case DEPLOY_BLIP -> (e.deploymentId() != null ? "Deploy blip during deployment #" + e.deploymentId() : "Deploy blip")
                    + " of " + duration + ": " + failure + ", cleared by itself";
            case TRANSIENT -> "Transient failure of " + duration + ": " + failure + ", cleared by itself";
            case OUTAGE -> "Outage " + (scope.extent() == Extent.WHOLE ? "everywhere" : "(" + scope.label() + ")") + ": " + failure
                    + (e.endedAt() != null ? "; recovered after " + duration : "");
            case PARTIAL -> "Partial outage (" + scope.label() + "): " + failure + (e.endedAt() != null ? "; recovered after " + duration : "");
            case FLAPPING -> "Flapping: failing and passing by turns (" + failure + ")"
                    + (e.endedAt() != null ? "; stable again after " + duration : "");
            case DEGRADED -> throw new IllegalStateException();
        };
        return new Explanation(summary, layer, agreement, cause[0], cause[1]);
    }

    /**
     * Checks made together (one per region and resolver) in plain words, with the same reading of layers, scope and
     * causes as an episode's: for a diagnosis, where there is no history to follow.
     */
    public static Snapshot snapshot(List<Sample> checks, Instant at) {
        List<Sample> bad = checks.stream().filter(s -> !s.ok()).toList();
        Scope scope = Scopes.of(checks.stream().map(s -> StreamState.empty().next(s)).toList());
        SortedSet<Integer> statuses = new TreeSet<>();
        SortedSet<String> classes = new TreeSet<>();
        SortedMap<String, Integer> layers = new TreeMap<>();
        for (Sample s : bad) {
            if (s.status() != null) {
                statuses.add(s.status());
            }
            if (s.errorClass() != null) {
                classes.add(s.errorClass().code());
            }
            layers.merge(Analyzer.layer(s), 1, Integer::sum);
        }
        Evidence v = new Evidence(bad.size(), statuses, classes, layers, !bad.isEmpty() && bad.stream().allMatch(Analyzer::blipKind),
                bad, bad, checks.stream().filter(Sample::ok).mapToInt(Sample::totalMs).max().orElse(0), null, bad.isEmpty() ? null : at);
        if (bad.isEmpty()) {
            return new Snapshot(scope, v, null, new Explanation("Every check passes", "The site answers.", agreement(scope), null, null));
        }
        String failure = failure(v);
        Episode e = new Episode(null, Scopes.verdict(scope), at, null, null, scope, v, null, null);
        String[] cause = cause(e, scope, v);
        return new Snapshot(scope, v, failure, new Explanation(failure, layer(v), agreement(scope), cause[0], cause[1]));
    }

    private static Explanation degraded(Episode e, Policy policy, String duration) {
        List<Sample> slow = Stream.concat(e.evidence().first().stream(), e.evidence().latest().stream())
                .filter(s -> policy.maxResponseTimeMs() != null && s.totalMs() > policy.maxResponseTimeMs()).toList();
        double total = slow.stream().mapToInt(Sample::totalMs).average().orElse(0);
        double ttfb = slow.stream().filter(s -> s.ttfbMs() != null).mapToInt(Sample::ttfbMs).average().orElse(0);
        double connect = slow.stream().filter(s -> s.connectMs() != null).mapToInt(Sample::connectMs).average().orElse(0);
        double dns = slow.stream().filter(s -> s.dnsMs() != null).mapToInt(Sample::dnsMs).average().orElse(0);
        String cause;
        String step;
        if (dns >= total / 2) {
            cause = "DNS answers are slow (" + ms(dns) + " of " + ms(total) + "): the name servers are overloaded or far away.";
            step = "Check the authoritative DNS servers' response times (dig +stats) and the record TTLs.";
        } else if (connect >= total / 2) {
            cause = "Connecting takes most of the time (" + ms(connect) + " of " + ms(total) + "): a congested network path or a "
                    + "server whose accept queue is full.";
            step = "Check the network path (mtr) and the server's connection backlog and load.";
        } else {
            cause = "The back end is slow to produce a response (time to first byte " + ms(ttfb) + " of " + ms(total)
                    + "): it is overloaded or waiting on something such as the database or an external API.";
            step = "Look at the application's CPU, memory, worker pool and slow queries, and at what changed recently.";
        }
        Scope scope = e.scope();
        String summary = "Degraded: " + scope.failingStreams() + " of " + scope.streams() + " checks slower than "
                + policy.maxResponseTimeMs() + " ms (slowest " + e.evidence().slowestMs() + " ms)"
                + (e.endedAt() != null ? "; back under the limit after " + duration : " for " + duration);
        String agreement = scope.failingStreams() == scope.streams()
                ? "Every region and resolver is slow." : "Slow in " + String.join(", ", scope.regions()) + " via "
                + String.join(", ", scope.resolvers()) + "; the other checks are within the limit.";
        return new Explanation(summary, "The site answers, but slowly.", agreement, cause, step);
    }

    /** The dominant failure, e.g. "HTTP 502 from nginx at the origin" or "connection refused". */
    private static String failure(Evidence v) {
        String layer = dominantLayer(v);
        String statuses = codes(v);
        if (layer.startsWith("edge:")) {
            return "HTTP " + statuses + " from " + name(layer.substring(5)) + "'s edge";
        }
        if (layer.startsWith("origin:")) {
            return "HTTP " + statuses + " from " + name(layer.substring(7)) + " at the origin";
        }
        if (layer.startsWith("behind:")) {
            return "HTTP " + statuses + " from behind " + name(layer.substring(7));
        }
        if (layer.startsWith("server:")) {
            return "HTTP " + statuses;
        }
        return v.errorClasses().isEmpty() ? "failing checks" : classes(v);
    }

    /** The HTTP error statuses seen, "502/504". */
    private static String codes(Evidence v) {
        return String.join("/", v.statuses().stream().filter(s -> s >= 400).map(String::valueOf).toList());
    }

    /** The error classes seen, in words: "connect refused, read timeout". */
    private static String classes(Evidence v) {
        return String.join(", ", v.errorClasses()).replace('_', ' ');
    }

    private static String layer(Evidence v) {
        String layer = dominantLayer(v);
        String kind = layer.contains(":") ? layer.substring(0, layer.indexOf(':')) : layer;
        String who = layer.contains(":") ? name(layer.substring(layer.indexOf(':') + 1)) : "";
        String codes = codes(v);
        String answer = switch (kind) {
            case "edge" -> who + "'s edge answered " + codes + (who.equals("Cloudflare") ? cloudflare(v) : "")
                    + ": the CDN could not get a good answer from your origin.";
            case "origin" -> who + " at the origin answered " + codes + ": the proxy in front of your application is up, "
                    + "the application behind it is not answering well.";
            case "behind" -> "The error (" + codes + ") came through " + who + " from behind it: your origin generated it.";
            case "server" -> "The server answered " + codes + ".";
            case "connection" -> "No HTTP answer: " + classes(v) + ".";
            case "dns" -> "DNS: the name did not resolve (" + classes(v) + ").";
            case "tls" -> "TLS: the secure connection failed (" + classes(v) + ").";
            case "protocol" -> "The server answered with something that is not valid HTTP, or not usable ("
                    + classes(v) + ").";
            case "content" -> "The site answered, but the response failed the monitor's checks.";
            default -> "Unknown.";
        };
        if (v.layers().size() > 1) {
            answer += " Also seen: " + String.join(", ", v.layers().keySet().stream().filter(l -> !l.equals(layer)).toList()) + ".";
        }
        return answer;
    }

    private static String cloudflare(Evidence v) {
        List<String> meanings = v.statuses().stream().filter(CLOUDFLARE::containsKey).map(c -> c + ": " + CLOUDFLARE.get(c)).toList();
        return meanings.isEmpty() ? "" : " (" + String.join("; ", meanings) + ")";
    }

    private static String agreement(Scope s) {
        int regions = s.liveRegions().size();
        return switch (s.extent()) {
            case WHOLE -> s.failingStreams() == 0 ? "Every check passes now."
                    : "All agree: every check fails, from " + (regions == 1 ? "the only region with data (" + s.liveRegions().get(0) + ")"
                    : "all " + regions + " regions") + " through " + (s.resolvers().size() == 1 ? "its resolver" : "all "
                    + s.resolvers().size() + " resolvers") + ".";
            case RESOLVER -> "They disagree by resolver: " + String.join(", ", s.resolvers().stream().map(r -> r
                    + (s.addresses().containsKey(r) ? " (answering " + String.join(", ", s.addresses().get(r)) + ")" : "")).toList())
                    + " fails in every region, while the other resolvers" + (s.healthyAddresses().isEmpty() ? ""
                    : " (answering " + String.join(", ", s.healthyAddresses()) + ")") + " pass.";
            case ADDRESS -> "They disagree by address: checks that reached " + String.join(", ", s.failingAddresses())
                    + " fail, checks that reached " + String.join(", ", s.healthyAddresses()) + " pass.";
            case CDN_NODE -> "They disagree by CDN node: answers from " + String.join(", ", s.pops()) + " fail, answers from "
                    + String.join(", ", s.healthyPops()) + " pass.";
            case REGIONS -> (s.quorum() ? "A majority of regions fail: " : "They disagree by region: ")
                    + String.join(", ", s.regions()) + " fail" + (s.regions().size() < regions ? ", "
                    + String.join(", ", s.liveRegions().stream().filter(r -> !s.regions().contains(r)).toList()) + " pass" : "") + ".";
            case MIXED -> s.failingStreams() + " of " + s.streams() + " checks fail, scattered over " + String.join(", ", s.regions())
                    + " and resolvers " + String.join(", ", s.resolvers()) + ", with no single region, resolver or node in common.";
            case LATENCY -> s.failingStreams() + " of " + s.streams() + " checks are slow.";
        };
    }


    /** The likely cause and the first step, most specific first: the scope, then the kind of failure. */
    private static String[] cause(Episode e, Scope s, Evidence v) {
        String when = e.start().toString();
        if (e.kind() == Classification.DEPLOY_BLIP) {
            return new String[] {(e.deploymentId() != null ? "Deployment #" + e.deploymentId() + ": the" : "A deploy or restart: the")
                    + " back end was unavailable and came back by itself within the confirmation window.",
                    "Nothing to do now. To avoid the blip, make deploys seamless: rolling restarts, health-checked upstreams, "
                            + "or nginx proxy_next_upstream with a second back end."};
        }
        if (e.kind() == Classification.TRANSIENT) {
            return new String[] {"A short failure that cleared by itself within the confirmation window.",
                    "Nothing, unless it keeps coming back; then look at the logs around " + when + "."};
        }
        if (e.kind() == Classification.FLAPPING) {
            return new String[] {"The site keeps switching between failing and passing: a crash loop, an overloaded back end "
                    + "that times out under load, or one bad node among several behind a load balancer.",
                    "Look for restarts of the application (crash loop, out-of-memory kills) and check each node behind the load balancer."};
        }
        switch (s.extent()) {
            case RESOLVER -> {
                if (s.byNode()) {
                    return nodeCause(s, v, "through " + String.join(", ", s.resolvers()) + ", which send"
                            + (s.resolvers().size() == 1 ? "s" : "") + " visitors to " + String.join(", ", s.failingAddresses()));
                }
                return new String[] {"DNS routes part of the traffic to a broken node: " + String.join(", ", s.resolvers())
                        + " returns " + String.join(", ", s.failingAddresses()) + ", which fails, while other resolvers return a "
                        + "working address. A stale or wrong DNS record, or a geo/latency DNS policy pointing at a dead node.",
                        "Check the A/AAAA records at your DNS provider (dig @" + s.resolvers().get(0) + " <host>); fix or remove the "
                                + "record for " + String.join(", ", s.failingAddresses()) + ", or bring that node back. Changes reach "
                                + "users as the old record's TTL expires."};
            }
            case ADDRESS -> {
                if (s.byNode()) {
                    return nodeCause(s, v, "at " + String.join(", ", s.failingAddresses()));
                }
                return new String[] {"One of the addresses the name points to is broken (" + String.join(", ", s.failingAddresses())
                        + ") while " + String.join(", ", s.healthyAddresses()) + " works: a dead node in round-robin DNS or behind a load balancer.",
                        "Take " + String.join(", ", s.failingAddresses()) + " out of DNS or the load balancer, or restart that node."};
            }
            case CDN_NODE -> {
                return new String[] {"A problem at CDN node " + String.join(", ", s.pops()) + " or on its route to your origin; "
                        + "other nodes serve the site fine.",
                        "Check the CDN's status page for " + String.join(", ", s.pops()) + " and that your origin firewall accepts "
                                + "that node's address ranges; give the provider's support the request ids from the evidence."};
            }
            case REGIONS -> {
                if (dominantLayer(v).equals("connection") && s.regions().size() < s.liveRegions().size()) {
                    // Some regions get no answer at all while the others are served: the back end is up, the way there is not.
                    List<String> passing = s.liveRegions().stream().filter(r -> !s.regions().contains(r)).toList();
                    return new String[] {"The network path from " + String.join(", ", s.regions()) + ": checks from there get no "
                            + "answer (" + classes(v) + ") while " + String.join(", ", passing) + " reach" + (passing.size() == 1 ? "es" : "")
                            + " the site and are served normally, so the server itself is up. A routing problem, packet loss, or a "
                            + "firewall or geo rule dropping traffic from those regions; the server never sees those requests, so "
                            + "its logs will not show them.",
                            "Trace the route from " + String.join(", ", s.regions()) + " (mtr, traceroute) and check firewall, WAF and "
                                    + "geo rules and your provider's network status for those regions."};
                }
                if (!s.quorum()) {
                    return new String[] {"Only " + String.join(", ", s.regions()) + " cannot use the site: the network path from there, "
                            + "geo-blocking, or a regional load balancer or firewall.",
                            "Check firewall and WAF geo rules and your hosting provider's regional status; trace the route from "
                                    + String.join(", ", s.regions()) + "."};
                }
            }
            default -> {
            }
        }
        return byFailure(v, when);
    }

    /**
     * One CDN node fails while others serve the site: it is that node (or its origin) that fails, reached {@code how};
     * DNS only decides who lands there.
     */
    private static String[] nodeCause(Scope s, Evidence v, String how) {
        String nodes = String.join(", ", s.pops());
        String layer = dominantLayer(v);
        boolean originFails = layer.startsWith("origin:") || layer.startsWith("edge:") || layer.startsWith("behind:");
        String what = originFails ? "the origin behind CDN node " + nodes + " fails (" + failure(v) + ")"
                : "CDN node " + nodes + " itself does not answer (" + failure(v) + ")";
        return new String[] {"Visitors served by CDN node " + nodes + " get errors " + how + ": " + what + ", while "
                + String.join(", ", s.healthyPops()) + " serve" + (s.healthyPops().size() == 1 ? "s" : "") + " the site fine. "
                + "DNS is not broken; it only decides which node a visitor lands on.",
                (originFails ? "Check the back end that " + nodes + " proxies to and that proxy's error log. " : "Check node " + nodes
                        + " and its provider's status. ") + "Meanwhile steer traffic away from " + nodes + ": take "
                        + String.join(", ", s.failingAddresses()) + " out of the DNS answers (or the geo/latency policy), or disable "
                        + "the node at your CDN or load balancer. Visitors who see errors may reach a working node by switching "
                        + "to another DNS resolver (such as 1.1.1.1 or 8.8.8.8)."};
    }

    private static String[] byFailure(Evidence v, String when) {
        Set<Integer> st = v.statuses();
        Set<String> ec = v.errorClasses();
        String dominant = dominantLayer(v);
        if (st.contains(522) || st.contains(523) || st.contains(530)) {
            return new String[] {"The network between the CDN edge and your origin: the edge could not reach the origin server.",
                    "Check that the origin server is up and that its firewall lets the CDN's address ranges in."};
        }
        if (st.contains(502) && dominant.startsWith("origin:") && !ec.contains("connect_refused")) {
            // The proxy's 502 page is the same whatever went wrong behind it: say so, and where the reason is written.
            String proxy = name(dominant.substring("origin:".length()));
            return new String[] {proxy + " answered 502 Bad Gateway: it got no valid response from the application behind it. "
                    + "The 502 page does not say why (not running, crashed mid-request, or sending something " + proxy
                    + " could not read), and nothing more can be seen from outside.",
                    proxy + "'s error log says which, from " + when + ": \"connect() failed (111: Connection refused)\" means the "
                            + "application is not running or not listening; \"upstream prematurely closed connection\" that it crashed "
                            + "mid-request; \"upstream sent invalid header\" that it answered with something that is not HTTP. "
                            + "Then check the application (systemctl status, docker ps, kubectl get pods) and its logs."};
        }
        if (st.isEmpty() && ec.contains("connect_refused")) {
            // The checks' own connections were refused: nothing between them and the server to blame.
            return new String[] {"Nothing accepts connections on the site's port: the server, or the proxy in front of the "
                    + "application, is not running or is restarting.",
                    "Check that the web server or proxy is running and listening on the port (systemctl status, docker ps, "
                            + "ss -ltnp) and read its logs from " + when + "."};
        }
        if (st.contains(521) || ec.contains("connect_refused") || (st.contains(502) && !dominant.startsWith("server:"))) {
            return new String[] {"The back end crashed or is restarting: the " + (dominant.startsWith("edge:") ? "CDN" : "proxy")
                    + " could not connect to it" + (ec.contains("connect_refused") ? " (connections are refused)" : "") + ".",
                    "Check that the application is running (systemctl status, docker ps, kubectl get pods) and read its logs from "
                            + when + ". nginx's error log shows \"connect() failed (111: Connection refused) while connecting to upstream\" "
                            + "when the back end is down."};
        }
        if (st.contains(504) || st.contains(524) || ec.contains("read_timeout")) {
            return new String[] {"The back end is overloaded or hanging: it accepts connections but does not answer in time.",
                    "Look at the application's CPU, memory, worker or thread pool and its database; nginx logs \"upstream timed out\"."};
        }
        if (ec.contains("malformed_response")) {
            return new String[] {"The server answered with something that is not HTTP: a different service on that port, "
                    + "plain HTTP and TLS mixed up, or a crashing process writing garbage.",
                    "Run curl -v against the URL and against the origin directly, and check which process listens on the port."};
        }
        if (st.contains(503)) {
            return new String[] {"The service says it is unavailable: maintenance mode, no healthy upstream behind the load "
                    + "balancer, or rate limiting.", "Check the load balancer's target health and whether maintenance mode is on."};
        }
        if (st.stream().anyMatch(s -> s >= 500)) {
            return new String[] {"The application fails while handling the request (an unhandled error).",
                    "Read the application's error log or exception tracker from " + when + "."};
        }
        if (st.stream().anyMatch(s -> s >= 400)) {
            return new String[] {"The site answers, but with HTTP " + String.join("/", st.stream().map(String::valueOf).toList())
                    + ": the page moved, access is blocked (WAF, authentication), or the URL is wrong.",
                    "Open the URL yourself and check recent changes to routing, WAF and authentication rules."};
        }
        if (ec.contains("dns_nxdomain")) {
            return new String[] {"The name does not exist in DNS: the record was deleted, the domain expired, or its delegation is broken.",
                    "Check the DNS record and the domain's registration and name servers (whois, dig NS)."};
        }
        if (ec.contains("dns_servfail") || ec.contains("dns_timeout") || ec.contains("dns_no_address")) {
            return new String[] {"The DNS servers for the name fail or return no address (a DNSSEC error, or the authoritative servers are down).",
                    "Run dig +trace for the name and check the DNSSEC (DS) records and the authoritative servers."};
        }
        if (ec.contains("tls_expired")) {
            return new String[] {"The TLS certificate has expired.", "Renew the certificate and check that automatic renewal runs."};
        }
        if (ec.contains("tls_hostname") || ec.contains("tls_untrusted") || ec.contains("tls_handshake")) {
            return new String[] {"The TLS certificate does not fit: wrong host name, an incomplete chain, or a handshake failure.",
                    "Check the certificate the server presents (openssl s_client -connect host:443 -servername host)."};
        }
        if (ec.contains("connect_timeout")) {
            return new String[] {"The host does not answer at all: the server is down, a firewall drops the traffic, or the network is unreachable.",
                    "Check that the host is up and reachable and that its firewall allows port 80/443."};
        }
        if (ec.contains("connection_reset")) {
            return new String[] {"Connections are cut mid-way: a proxy or application crashing, or a firewall resetting them.",
                    "Check the proxy's and the application's logs for crashes at " + when + "."};
        }
        if (ec.contains("too_many_redirects")) {
            return new String[] {"A redirect loop.", "Check redirect rules (HTTP→HTTPS, www, trailing slash) at the CDN and the origin."};
        }
        if (ec.contains("assertion_failed")) {
            return new String[] {"The page answered but its content failed the monitor's checks: an error page served with 200, or the content changed.",
                    "Open the page and compare it with the monitor's body and JSON checks."};
        }
        return new String[] {"Checks fail (" + String.join(", ", ec) + ").", "Open the evidence samples to see each failure."};
    }

    /** The layer with the most failures. */
    private static String dominantLayer(Evidence v) {
        return v.layers().entrySet().stream().max(Comparator.comparing(Map.Entry<String, Integer>::getValue)
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder())).map(Map.Entry::getKey).orElse("unknown");
    }

    private static String name(String generator) {
        return switch (generator) {
            case "cloudflare" -> "Cloudflare";
            case "cloudfront" -> "CloudFront";
            case "fastly" -> "Fastly";
            case "akamai" -> "Akamai";
            case "vercel" -> "Vercel";
            case "netlify" -> "Netlify";
            case "fly" -> "Fly.io";
            default -> generator;
        };
    }

    private static String ms(double v) {
        return Math.round(v) + " ms";
    }
}
