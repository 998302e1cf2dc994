package dev.gatewatch.check.cdn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads which CDN edge answered a check and, for errors, whether the edge or the origin wrote the response.
 * Pure and table-driven: {@link #PROVIDERS} describes each edge, {@link #ORIGINS} the origin error pages.
 */
public final class CdnParser {

    private static final int MAX_SERVER = 200;
    private static final int MAX_ID = 200;
    /** Callers pass at most 2 KiB; the cap only bounds the work if one passes more. */
    private static final int MAX_BODY = 8192;

    private static final Pattern CF_RAY = Pattern.compile("^[0-9a-f]{8,32}-([a-z]{3,4})$", Pattern.CASE_INSENSITIVE);
    private static final Pattern CLOUDFRONT_POP = Pattern.compile("^([a-z]{3}[0-9]{1,3}(?:-[a-z0-9]{1,4})?)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FASTLY_NODE = Pattern.compile("^cache-[a-z0-9-]*-([a-z]{3,4})$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FASTLY_TIMER = Pattern.compile("^(S[0-9]+\\.[0-9]+),VS");
    private static final Pattern VERCEL_REGION = Pattern.compile("^([a-z]{3}[0-9]{1,2})::", Pattern.CASE_INSENSITIVE);
    private static final Pattern FLY_REGION = Pattern.compile("^[0-9a-z]+-([a-z]{3})$", Pattern.CASE_INSENSITIVE);
    private static final Pattern BUNNY_SERVER = Pattern.compile("^bunnycdn-([a-z]{2,3}[0-9]{0,3})-[0-9]+$", Pattern.CASE_INSENSITIVE);
    private static final Pattern MSEDGE_REF_B = Pattern.compile("ref b:\\s*([a-z0-9]{4,40})", Pattern.CASE_INSENSITIVE);
    private static final Pattern GCP_TRACE = Pattern.compile("^([0-9a-f]{16,64})(?:/.*)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern AKAMAI_REFERENCE = Pattern.compile("reference #([0-9a-f]{1,8}(?:\\.[0-9a-f]{1,16}){2,4})");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x[0-9a-f]{1,6}|[0-9]{1,7});");

    /** Statuses only Cloudflare emits: its own "Error 52x" pages for origin failures, 530 for 1xxx errors. */
    private static final Set<Integer> CLOUDFLARE_STATUSES = Set.of(520, 521, 522, 523, 524, 525, 526, 530);

    /**
     * One edge platform.
     *
     * @param servers   Server header prefixes this edge writes (lower-case); also detects it
     * @param headers   other evidence that the edge is on the path
     * @param edge      proof that the edge itself wrote an error; checked before any origin evidence
     * @param likelyEdge a hint that only counts when no origin evidence was found
     */
    private record Provider(String name, List<String> servers, Predicate<View> headers, Function<View, String> pop,
                            Function<View, String> requestId, Predicate<View> edge, Predicate<View> likelyEdge) {

        boolean detect(View v) {
            return servers.stream().anyMatch(v.server()::startsWith) || holds(headers, v);
        }
    }

    /** An origin-side server or proxy, known by its error page or its Server header (lower-case substrings). */
    private record OriginSignature(String generator, Predicate<View> body, List<String> servers) {
    }

    private record Verdict(ErrorSource source, String generator) {
    }

    /**
     * Precedence order: when several providers match, the first wins because it is the outermost hop.
     * Cloudflare and the enterprise CDNs sit in front of everything; the cloud load balancers next; the
     * PaaS platforms (vercel, netlify, fly) host the app itself, so they are always the innermost edge.
     */
    private static final List<Provider> PROVIDERS = List.of(
            new Provider("cloudflare", List.of("cloudflare"),
                    v -> v.has("cf-ray") || v.has("cf-cache-status") || v.has("cf-mitigated"),
                    v -> group(CF_RAY, v.first("cf-ray"), true),
                    v -> id(v.first("cf-ray")),
                    v -> CLOUDFLARE_STATUSES.contains(v.status()) || v.has("cf-mitigated")
                            || v.bodyHas("cdn-cgi/styles/cf.errors.css", "cf-error-details", "<center>cloudflare</center>",
                            "used cloudflare to restrict access", "attention required! | cloudflare"),
                    brand5xx("cloudflare")),
            new Provider("akamai", List.of("akamaighost", "akamainetstorage"),
                    v -> v.hasPrefix("x-akamai-") || v.hasPrefix("akamai-") || v.headerHas("x-cache", "akamai"),
                    v -> null,
                    v -> firstNonNull(id(v.first("akamai-grn")), id(v.first("x-akamai-request-id")),
                            id(v.first("akamai-request-id")), group(AKAMAI_REFERENCE, v.body(), false)),
                    v -> v.bodyHas("errors.edgesuite.net", "reference #"),
                    brand5xx("akamai")),
            new Provider("fastly", List.of(),
                    v -> v.hasPrefix("fastly-") || v.hasPrefix("x-fastly-") || v.headerHas("x-served-by", "cache-")
                            || group(FASTLY_TIMER, v.first("x-timer"), false) != null
                            || v.viaHas(e -> e.equals("1.1 varnish")),
                    v -> group(FASTLY_NODE, lastEntry(v.all("x-served-by")), true),
                    v -> id(v.first("x-fastly-request-id")),
                    v -> v.bodyHas("guru meditation", "guru mediation", "varnish cache server"),
                    brand5xx("fastly")),
            new Provider("cloudfront", List.of("cloudfront"),
                    v -> v.has("x-amz-cf-pop") || v.has("x-amz-cf-id") || v.viaHas(e -> e.contains(".cloudfront.net"))
                            || v.headerHas("x-cache", "cloudfront"),
                    v -> group(CLOUDFRONT_POP, v.first("x-amz-cf-pop"), true),
                    v -> id(v.first("x-amz-cf-id")),
                    v -> v.bodyHas("generated by cloudfront (cloudfront)", "the request could not be satisfied"),
                    // CloudFront also says "Error from cloudfront" on errors it merely passed through.
                    v -> v.headerHas("x-cache", "error from cloudfront") || brand5xx("cloudfront").test(v)),
            new Provider("azure-front-door", List.of(),
                    v -> v.has("x-azure-ref") || v.has("x-fd-int-roxy-purgeid") || v.has("x-msedge-ref")
                            || azureCacheStatus(v.first("x-cache")),
                    v -> group(MSEDGE_REF_B, v.first("x-msedge-ref"), true),
                    v -> firstNonNull(id(v.first("x-azure-ref")), id(v.first("x-msedge-ref"))),
                    v -> v.bodyHas("our services aren't available right now"),
                    brand5xx("front door")),
            new Provider("google", List.of("google frontend", "gfe/"),
                    v -> v.viaHas(e -> e.endsWith(" google") || e.equals("google")),
                    v -> null,
                    v -> group(GCP_TRACE, v.first("x-cloud-trace-context"), false),
                    v -> v.bodyHas("!!1</title>", "the server encountered a temporary error"),
                    v -> false),
            new Provider("bunny", List.of("bunnycdn"),
                    v -> v.has("cdn-requestid") || v.has("cdn-cache") || v.has("cdn-pullzone"),
                    v -> group(BUNNY_SERVER, v.first("server"), true),
                    v -> id(v.first("cdn-requestid")),
                    v -> false,
                    brand5xx("bunnycdn", "bunny.net")),
            new Provider("vercel", List.of("vercel"),
                    v -> v.has("x-vercel-id") || v.has("x-vercel-cache") || v.has("x-vercel-error"),
                    v -> group(VERCEL_REGION, v.first("x-vercel-id"), false),
                    v -> id(v.first("x-vercel-id")),
                    v -> v.has("x-vercel-error") || v.bodyHas("an error occurred with your deployment"),
                    brand5xx("vercel")),
            new Provider("netlify", List.of("netlify"),
                    v -> v.has("x-nf-request-id") || v.headerHas("cache-status", "netlify"),
                    v -> null,
                    v -> id(v.first("x-nf-request-id")),
                    v -> v.bodyHas("looks like you've followed a broken link or entered a url that doesn't exist on this site"),
                    brand5xx("netlify")),
            new Provider("fly", List.of("fly/"),
                    v -> v.has("fly-request-id") || v.viaHas(e -> e.endsWith("fly.io")),
                    v -> group(FLY_REGION, v.first("fly-request-id"), false),
                    v -> id(v.first("fly-request-id")),
                    v -> false,
                    // fly-proxy answers 502/503 with an empty body when the app is down or not listening.
                    v -> v.status() == 502 || v.status() == 503 || brand5xx("fly.io", "fly-proxy").test(v)));

    private static final Set<String> TRAEFIK_BODIES = Set.of("bad gateway", "service unavailable", "gateway timeout");

    /** Order matters: specific signatures before generic ones (tomcat before apache). */
    private static final List<OriginSignature> ORIGINS = List.of(
            origin("openresty", body("<center>openresty"), "openresty"),
            origin("nginx", body("<center>nginx"), "nginx"),
            origin("tomcat", body("apache tomcat/"), "apache-coyote", "tomcat"),
            origin("apache", body("<address>apache", "apache/2"), "apache", "httpd"),
            origin("litespeed", body("proudly powered by litespeed", "litespeed web server"), "litespeed"),
            origin("envoy", body("upstream connect error or disconnect/reset before headers", "no healthy upstream",
                    "upstream request timeout"), "envoy"),
            origin("haproxy", body("no server is available to handle this request",
                    "the server returned an invalid or incomplete response", "the server didn't respond in time"), "haproxy"),
            origin("iis", body("microsoft-iis",
                    "web server received an invalid response while acting as a gateway or proxy server"), "microsoft-iis"),
            // Traefik answers a bare "Bad Gateway" and sends no Server header.
            origin("traefik", v -> TRAEFIK_BODIES.contains(v.bodyTrimmed())
                    && (v.server().isEmpty() || isCdnServer(v.server())), "traefik"),
            origin("caddy", v -> false, "caddy"),
            origin("gunicorn", body("<h1><p>"), "gunicorn"),
            origin("uvicorn", v -> false, "uvicorn"),
            origin("werkzeug", v -> false, "werkzeug"),
            origin("kestrel", v -> false, "kestrel"),
            origin("jetty", body("powered by jetty://"), "jetty"),
            // A self-hosted Varnish; Fastly's own Varnish pages are caught by the fastly rule first.
            origin("varnish", body("guru meditation", "varnish cache server"), "varnish"),
            origin("s3", v -> false, "amazons3"));

    private CdnParser() {
    }

    /**
     * @param status     HTTP status of the response
     * @param headers    response headers, lower-case names, values in received order
     * @param bodyPrefix the first bytes of the body decoded as UTF-8 (may be empty)
     */
    public static EdgeInfo parse(int status, Map<String, List<String>> headers, String bodyPrefix) {
        View v = View.of(status, headers, bodyPrefix);
        List<Provider> present = PROVIDERS.stream().filter(p -> p.detect(v)).toList();
        Provider outer = present.isEmpty() ? null : present.get(0);
        Verdict verdict = status < 400 ? new Verdict(ErrorSource.NONE, null) : judge(v, present);
        return new EdgeInfo(
                outer == null ? null : outer.name(),
                outer == null ? null : read(outer.pop(), v),
                outer == null ? null : read(outer.requestId(), v),
                truncate(v.first("server"), MAX_SERVER),
                verdict.source(),
                verdict.generator());
    }

    /** Edge proof beats origin evidence, which beats edge hints; an inner edge's proof counts too (its page passed through). */
    private static Verdict judge(View v, List<Provider> present) {
        for (Provider p : present) {
            if (holds(p.edge(), v)) {
                return new Verdict(ErrorSource.EDGE, p.name());
            }
        }
        for (OriginSignature s : ORIGINS) {
            if (holds(s.body(), v)) {
                return new Verdict(ErrorSource.ORIGIN, s.generator());
            }
        }
        // A CDN's own Server value (e.g. the old "cloudflare-nginx") says nothing about the origin.
        if (!isCdnServer(v.server())) {
            for (OriginSignature s : ORIGINS) {
                if (s.servers().stream().anyMatch(v.server()::contains)) {
                    return new Verdict(ErrorSource.ORIGIN, s.generator());
                }
            }
        }
        for (Provider p : present) {
            if (holds(p.likelyEdge(), v)) {
                return new Verdict(ErrorSource.EDGE, p.name());
            }
        }
        return new Verdict(ErrorSource.UNKNOWN, null);
    }

    /** The response as the rules see it: headers with stripped non-null values, Server and body lower-cased. */
    private record View(int status, Map<String, List<String>> headers, String server, String body, String bodyTrimmed) {

        static View of(int status, Map<String, List<String>> raw, String bodyPrefix) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (raw != null) {
                raw.forEach((name, values) -> {
                    if (name == null || values == null) {
                        return;
                    }
                    List<String> kept = headers.computeIfAbsent(lower(name.strip()), k -> new ArrayList<>());
                    for (String value : values) {
                        if (value != null && !value.isBlank()) {
                            kept.add(value.strip());
                        }
                    }
                });
                headers.values().removeIf(List::isEmpty);
            }
            String body = normaliseBody(bodyPrefix);
            String server = headers.containsKey("server") ? lower(headers.get("server").get(0)) : "";
            return new View(status, headers, server, body, body.strip());
        }

        boolean has(String name) {
            return headers.containsKey(name);
        }

        boolean hasPrefix(String prefix) {
            return headers.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        }

        String first(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        /** All values of a repeatable header as one comma-separated list. */
        String all(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(", ", values);
        }

        boolean headerHas(String name, String needle) {
            String all = all(name);
            return all != null && lower(all).contains(needle);
        }

        boolean viaHas(Predicate<String> entry) {
            String via = all("via");
            if (via == null) {
                return false;
            }
            for (String e : lower(via).split(",")) {
                if (entry.test(e.strip())) {
                    return true;
                }
            }
            return false;
        }

        boolean bodyHas(String... needles) {
            for (String n : needles) {
                if (body.contains(n)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static OriginSignature origin(String generator, Predicate<View> body, String... servers) {
        return new OriginSignature(generator, body, List.of(servers));
    }

    private static Predicate<View> body(String... needles) {
        return v -> v.bodyHas(needles);
    }

    /** A 5xx whose body names the edge: its branded error page, unless origin evidence was found first. */
    private static Predicate<View> brand5xx(String... words) {
        return v -> v.status() >= 500 && v.status() <= 599 && v.bodyHas(words);
    }

    private static boolean isCdnServer(String server) {
        return !server.isEmpty() && PROVIDERS.stream().flatMap(p -> p.servers().stream()).anyMatch(server::startsWith);
    }

    /** Azure Front Door reports cache status Squid-style; Akamai does too but names itself, and is matched first. */
    private static boolean azureCacheStatus(String xCache) {
        if (xCache == null) {
            return false;
        }
        String x = lower(xCache);
        return !x.contains("akamai") && (x.startsWith("tcp_") || x.startsWith("config_nocache")
                || x.startsWith("uncacheable") || x.startsWith("private_nocache"));
    }

    /** Lower-cased, entity-decoded body so signatures match whatever escaping the page used. */
    private static String normaliseBody(String bodyPrefix) {
        if (bodyPrefix == null || bodyPrefix.isEmpty()) {
            return "";
        }
        String b = bodyPrefix.length() > MAX_BODY ? bodyPrefix.substring(0, MAX_BODY) : bodyPrefix;
        b = lower(b).replace("\r\n", "\n").replace('\u2019', '\'');
        if (b.indexOf('&') < 0) {
            return b;
        }
        Matcher m = NUMERIC_ENTITY.matcher(b);
        StringBuilder out = new StringBuilder(b.length());
        while (m.find()) {
            String code = m.group(1);
            int cp = code.startsWith("x") ? Integer.parseInt(code.substring(1), 16) : Integer.parseInt(code);
            String replacement = Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString().replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    /** Group 1 of a full match, or null; pops are normalised to the provider's usual case. */
    private static String group(Pattern pattern, String value, boolean upper) {
        if (value == null) {
            return null;
        }
        Matcher m = pattern.matcher(value.strip());
        if (!m.find()) {
            return null;
        }
        String g = m.group(1);
        return upper ? g.toUpperCase(Locale.ROOT) : lower(g);
    }

    /** The last non-blank entry of a comma-separated list: for x-served-by that is the node nearest the client. */
    private static String lastEntry(String list) {
        if (list == null) {
            return null;
        }
        String[] entries = list.split(",");
        for (int i = entries.length - 1; i >= 0; i--) {
            if (!entries[i].isBlank()) {
                return entries[i].strip();
            }
        }
        return null;
    }

    /** A request id as sent, or null if it holds control characters or nothing id-like. */
    private static String id(String value) {
        if (value == null) {
            return null;
        }
        boolean idLike = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return null;
            }
            idLike |= Character.isLetterOrDigit(c);
        }
        return idLike ? truncate(value, MAX_ID) : null;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T t : values) {
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** A rule that trips on an input nobody foresaw must not fail the check it describes. */
    private static boolean holds(Predicate<View> rule, View v) {
        try {
            return rule.test(v);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String read(Function<View, String> rule, View v) {
        try {
            return rule.apply(v);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
