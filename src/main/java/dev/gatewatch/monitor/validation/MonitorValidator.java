package dev.gatewatch.monitor.validation;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NulText;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.monitor.AlertPolicy;
import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.MonitorRequest;
import dev.gatewatch.target.HostLiteral;
import dev.gatewatch.target.TargetGuard;

/**
 * Checks a submitted monitor against every rule at once and returns it with defaults filled in, or throws
 * {@link InvalidInputException} naming each bad field.
 */
@ApplicationScoped
public class MonitorValidator {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Headers the probe sets itself; letting owners override them would make timings and routing lie. */
    static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "upgrade", "te", "keep-alive", "trailer", "proxy-connection", "proxy-authorization");
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    static final int MAX_NAME = 100;
    static final int MAX_URL = 2048;
    static final int MAX_HEADERS = 32;
    static final int MAX_HEADER_VALUE = 4096;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_ASSERTIONS = 10;
    static final int MAX_ASSERTION_VALUE = 1024;
    static final int MAX_REGIONS = 16;
    static final int MAX_CHANNELS = 10;
    static final int DEFAULT_TLS_DAYS = 14;

    private final GatewatchConfig config;
    private final TargetGuard guard;

    public MonitorValidator(GatewatchConfig config, TargetGuard guard) {
        this.config = config;
        this.guard = guard;
    }

    /**
     * @param knownChannels the owner's alert channel ids; a monitor may only name those
     */
    public MonitorRequest validate(MonitorRequest in, Set<Long> knownChannels) {
        if (in == null) {
            throw new InvalidInputException("", "a JSON object describing the monitor is required");
        }
        List<FieldError> errors = nulCharacters(in);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String name = in.name() == null ? null : in.name().strip();
        if (name == null || name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "is required: 1 to " + MAX_NAME + " characters, no control characters"));
        }
        String url = url(in.url(), errors);
        String method = in.method() == null ? "GET" : in.method().strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            errors.add(new FieldError("method", "must be one of " + String.join(", ", METHODS.stream().sorted().toList())));
        }
        Map<String, String> headers = headers(in.headers(), errors);
        String body = in.body();
        if (body != null) {
            if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                errors.add(new FieldError("body", "must be at most " + MAX_BODY_BYTES + " bytes"));
            } else if (method.equals("GET") || method.equals("HEAD")) {
                errors.add(new FieldError("body", "cannot be sent with " + method + "; use POST, PUT, PATCH or DELETE"));
            }
        }
        String expectedStatus = StatusCodes.DEFAULT;
        if (in.expectedStatus() != null) {
            try {
                expectedStatus = StatusCodes.parse(in.expectedStatus()).text();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("expectedStatus", e.getMessage()));
            }
        }
        List<BodyAssertion> bodyAssertions = bodyAssertions(in.bodyAssertions(), errors);
        List<JsonAssertion> jsonAssertions = jsonAssertions(in.jsonAssertions(), errors);

        int interval = in.intervalSeconds() == null ? 60 : in.intervalSeconds();
        long minInterval = config.monitors().minInterval().toSeconds();
        if (interval < minInterval || interval > 86_400) {
            errors.add(new FieldError("intervalSeconds", "must be between " + minInterval + " and 86400"));
        }
        int timeout = in.timeoutMs() == null ? Math.min(10_000, interval * 1000) : in.timeoutMs();
        if (timeout < 1000 || timeout > 60_000) {
            errors.add(new FieldError("timeoutMs", "must be between 1000 and 60000"));
        } else if (timeout > interval * 1000L && interval >= minInterval) {
            errors.add(new FieldError("timeoutMs", "must not be longer than the interval (" + interval + " s)"));
        }
        Integer maxResponse = in.maxResponseTimeMs();
        if (maxResponse != null && (maxResponse < 1 || maxResponse > timeout)) {
            errors.add(new FieldError("maxResponseTimeMs", "must be between 1 and the timeout (" + timeout + " ms)"));
        }
        boolean https = url != null && url.startsWith("https:");
        Integer tlsDays = in.minTlsValidityDays();
        if (tlsDays != null && (tlsDays < 0 || tlsDays > 365)) {
            errors.add(new FieldError("minTlsValidityDays", "must be between 0 and 365"));
        } else if (tlsDays != null && url != null && !https) {
            errors.add(new FieldError("minTlsValidityDays", "applies to https URLs only"));
        }
        if (tlsDays == null && https) {
            tlsDays = DEFAULT_TLS_DAYS;
        }
        boolean follow = in.followRedirects() == null || in.followRedirects();
        int maxRedirects = in.maxRedirects() == null ? (follow ? 5 : 0) : in.maxRedirects();
        if (maxRedirects < 0 || maxRedirects > 20) {
            errors.add(new FieldError("maxRedirects", "must be between 0 and 20"));
        }
        List<String> regions = regions(in.regions(), errors);
        List<String> resolvers = resolvers(in.resolvers(), errors);
        AlertPolicy policy = alertPolicy(in.alertPolicy(), knownChannels, errors);

        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new MonitorRequest(name, url, method, headers, body, expectedStatus, bodyAssertions, jsonAssertions,
                maxResponse, tlsDays, interval, timeout, follow, maxRedirects, regions, resolvers, policy);
    }

    /**
     * U+0000 in any text, which PostgreSQL cannot store. JSON bodies are refused before they get here
     * ({@link dev.gatewatch.api.NulText}); this serves the web form, which maps onto the same request.
     */
    static List<FieldError> nulCharacters(MonitorRequest in) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("name", in.name());
        texts.put("url", in.url());
        texts.put("method", in.method());
        texts.put("body", in.body());
        texts.put("expectedStatus", in.expectedStatus());
        if (in.headers() != null) {
            in.headers().forEach((k, v) -> texts.put("headers." + k.replace("\0", "\\u0000"), k + v));
        }
        for (int i = 0; in.bodyAssertions() != null && i < in.bodyAssertions().size(); i++) {
            BodyAssertion a = in.bodyAssertions().get(i);
            texts.put("bodyAssertions[" + i + "].type", a == null ? null : a.type());
            texts.put("bodyAssertions[" + i + "].value", a == null ? null : a.value());
        }
        for (int i = 0; in.jsonAssertions() != null && i < in.jsonAssertions().size(); i++) {
            JsonAssertion a = in.jsonAssertions().get(i);
            texts.put("jsonAssertions[" + i + "].path", a == null ? null : a.path());
            texts.put("jsonAssertions[" + i + "].op", a == null ? null : a.op());
            texts.put("jsonAssertions[" + i + "].value", a == null ? null : a.value());
        }
        for (int i = 0; in.regions() != null && i < in.regions().size(); i++) {
            texts.put("regions[" + i + "]", in.regions().get(i));
        }
        for (int i = 0; in.resolvers() != null && i < in.resolvers().size(); i++) {
            texts.put("resolvers[" + i + "]", in.resolvers().get(i));
        }
        List<FieldError> errors = new ArrayList<>();
        texts.forEach((field, text) -> {
            if (NulText.contains(text)) {
                errors.add(new FieldError(field, NulText.MESSAGE));
            }
        });
        return errors;
    }

    /**
     * The URL in canonical form (scheme and host lower-cased, the host as IDNA or a plain address literal, a path), or
     * null with the reason added to {@code errors} under {@code url}: not http(s), credentials in it, a bad host or
     * port, or a host the SSRF guard refuses.
     */
    public String url(String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError("url", "is required"));
            return null;
        }
        String text = raw.strip();
        if (text.length() > MAX_URL) {
            errors.add(new FieldError("url", "must be at most " + MAX_URL + " characters"));
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "is not a valid URL: " + e.getReason()));
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add(new FieldError("url", "must start with http:// or https://"));
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            errors.add(new FieldError("url", "must not contain user:password@; send credentials in a header instead"));
            return null;
        }
        // URI gives no host for spellings such as 0x7f.1 or 127.1; take it from the authority so they are judged too.
        String host = uri.getHost() != null ? uri.getHost() : authorityHost(uri.getRawAuthority());
        if (host == null) {
            errors.add(new FieldError("url", "has no valid host"));
            return null;
        }
        int port = uri.getHost() != null ? uri.getPort() : authorityPort(uri.getRawAuthority());
        if (port == 0 || port > 65535 || port < -1) {
            errors.add(new FieldError("url", "has a bad port"));
            return null;
        }
        String canonicalHost;
        try {
            canonicalHost = HostLiteral.parse(host)
                    .map(a -> a instanceof java.net.Inet6Address ? "[" + HostLiteral.format(a) + "]" : HostLiteral.format(a))
                    .orElseGet(() -> IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("url", "has an invalid host: " + e.getMessage()));
            return null;
        }
        Optional<String> refusal = guard.hostRefusal(canonicalHost);
        if (refusal.isPresent()) {
            errors.add(new FieldError("url", TargetGuard.PRIVATE_NETWORK + refusal.get()));
            return null;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + canonicalHost + (port == -1 ? "" : ":" + port) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The port of a raw authority; -1 when absent, -2 when not a number. */
    static int authorityPort(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(']', colon) >= 0 || colon == authority.length() - 1) {
            return -1;
        }
        String digits = authority.substring(colon + 1);
        return digits.matches("\\d{1,5}") ? Integer.parseInt(digits) : -2;
    }

    /** The host part of a raw authority (no user info here), without the port. */
    static String authorityHost(String authority) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? null : authority.substring(0, close + 1);
        }
        String host = authority.replaceFirst(":\\d*$", "");
        return host.isEmpty() ? null : host;
    }

    private Map<String, String> headers(Map<String, String> in, List<FieldError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        if (in == null) {
            return out;
        }
        if (in.size() > MAX_HEADERS) {
            errors.add(new FieldError("headers", "may have at most " + MAX_HEADERS + " entries"));
            return out;
        }
        Set<String> seen = new HashSet<>();
        in.forEach((name, value) -> {
            String field = "headers." + name;
            if (!HEADER_NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "is not a valid header name"));
            } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(field, "is set by the checker and cannot be overridden"));
            } else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(field, "is given twice"));
            } else if (value == null || value.length() > MAX_HEADER_VALUE || value.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
                errors.add(new FieldError(field, "must be a single-line value of at most " + MAX_HEADER_VALUE + " characters"));
            } else {
                out.put(name, value);
            }
        });
        return out;
    }

    private List<BodyAssertion> bodyAssertions(List<BodyAssertion> in, List<FieldError> errors) {
        if (in == null) {
            return List.of();
        }
        if (in.size() > MAX_ASSERTIONS) {
            errors.add(new FieldError("bodyAssertions", "may have at most " + MAX_ASSERTIONS + " entries"));
            return List.of();
        }
        List<BodyAssertion> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            BodyAssertion a = in.get(i);
            String at = "bodyAssertions[" + i + "]";
            if (a == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            String type = a.type() == null ? null : a.type().strip().toLowerCase(Locale.ROOT);
            if (type == null || !BodyAssertion.TYPES.contains(type)) {
                errors.add(new FieldError(at + ".type", "must be one of contains, not_contains, regex, not_regex"));
                continue;
            }
            if (a.value() == null || a.value().isEmpty() || a.value().length() > MAX_ASSERTION_VALUE) {
                errors.add(new FieldError(at + ".value", "must be 1 to " + MAX_ASSERTION_VALUE + " characters"));
                continue;
            }
            if (type.endsWith("regex") && !regexCompiles(a.value(), at + ".value", errors)) {
                continue;
            }
            out.add(new BodyAssertion(type, a.value()));
        }
        return List.copyOf(out);
    }

    private List<JsonAssertion> jsonAssertions(List<JsonAssertion> in, List<FieldError> errors) {
        if (in == null) {
            return List.of();
        }
        if (in.size() > MAX_ASSERTIONS) {
            errors.add(new FieldError("jsonAssertions", "may have at most " + MAX_ASSERTIONS + " entries"));
            return List.of();
        }
        List<JsonAssertion> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            JsonAssertion a = in.get(i);
            String at = "jsonAssertions[" + i + "]";
            if (a == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            boolean ok = true;
            try {
                JsonPath.parse(a.path());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(at + ".path", "is not a JSON path: " + e.getMessage()));
                ok = false;
            }
            String op = a.op() == null ? null : a.op().strip().toLowerCase(Locale.ROOT);
            if (op == null || !JsonAssertion.OPS.contains(op)) {
                errors.add(new FieldError(at + ".op", "must be one of " + String.join(", ", JsonAssertion.OPS.stream().sorted().toList())));
                continue;
            }
            boolean needsValue = !op.equals("exists") && !op.equals("not_exists");
            if (needsValue && (a.value() == null || a.value().length() > MAX_ASSERTION_VALUE)) {
                errors.add(new FieldError(at + ".value", "is required for " + op + " (at most " + MAX_ASSERTION_VALUE + " characters)"));
                ok = false;
            } else if (op.equals("matches")) {
                ok &= regexCompiles(a.value(), at + ".value", errors);
            } else if (op.equals("less_than") || op.equals("greater_than")) {
                try {
                    new java.math.BigDecimal(a.value().strip());
                } catch (NumberFormatException e) {
                    errors.add(new FieldError(at + ".value", "must be a number for " + op));
                    ok = false;
                }
            }
            if (ok) {
                out.add(new JsonAssertion(a.path(), op, needsValue ? a.value() : null));
            }
        }
        return List.copyOf(out);
    }

    private static boolean regexCompiles(String regex, String field, List<FieldError> errors) {
        try {
            AssertionPattern.compile(regex);
            return true;
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return false;
        }
    }

    private static List<String> regions(List<String> in, List<FieldError> errors) {
        if (in == null) {
            return List.of();
        }
        if (in.size() > MAX_REGIONS) {
            errors.add(new FieldError("regions", "may list at most " + MAX_REGIONS + " regions"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String r = in.get(i) == null ? "" : in.get(i).strip().toLowerCase(Locale.ROOT);
            if (!REGION.matcher(r).matches()) {
                errors.add(new FieldError("regions[" + i + "]", "must be a region name: lower-case letters, digits and dashes, up to 32"));
            } else if (out.contains(r)) {
                errors.add(new FieldError("regions[" + i + "]", "is listed twice"));
            } else {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    private List<String> resolvers(List<String> in, List<FieldError> errors) {
        List<String> source = in == null || in.isEmpty() ? config.monitors().defaultResolvers() : in;
        int max = config.monitors().maxResolvers();
        if (source.size() > max) {
            errors.add(new FieldError("resolvers", "may list at most " + max + " resolvers"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            String field = "resolvers[" + i + "]";
            try {
                ResolverSpec spec = ResolverSpec.parse(source.get(i));
                if (out.contains(spec.text())) {
                    errors.add(new FieldError(field, "is listed twice"));
                    continue;
                }
                Optional<TargetGuard.Admission> admission = spec.host().map(guard::admit);
                if (admission.isPresent() && admission.get().refusal().isPresent()) {
                    errors.add(new FieldError(field, TargetGuard.PRIVATE_NETWORK + admission.get().refusal().get()));
                    continue;
                }
                Optional<String> port = admission.flatMap(a -> guard.resolverPortRefusal(a.addresses(), spec.port()));
                if (port.isPresent()) {
                    errors.add(new FieldError(field, "'" + spec.text() + "' is refused " + port.get()));
                    continue;
                }
                out.add(spec.text());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        return List.copyOf(out);
    }

    private static AlertPolicy alertPolicy(AlertPolicy in, Set<Long> knownChannels, List<FieldError> errors) {
        AlertPolicy p = in == null ? new AlertPolicy(null, null, null, null, null) : in;
        int window = p.confirmationWindowSeconds() == null ? 60 : p.confirmationWindowSeconds();
        if (window < 15 || window > 600) {
            errors.add(new FieldError("alertPolicy.confirmationWindowSeconds", "must be between 15 and 600"));
        }
        int success = p.successThreshold() == null ? 2 : p.successThreshold();
        if (success < 1 || success > 10) {
            errors.add(new FieldError("alertPolicy.successThreshold", "must be between 1 and 10"));
        }
        List<Long> channels = p.channels() == null ? List.of() : p.channels();
        if (channels.size() > MAX_CHANNELS) {
            errors.add(new FieldError("alertPolicy.channels", "may list at most " + MAX_CHANNELS + " channels"));
        } else {
            for (int i = 0; i < channels.size(); i++) {
                if (channels.get(i) == null || !knownChannels.contains(channels.get(i))) {
                    errors.add(new FieldError("alertPolicy.channels[" + i + "]", "is not one of your alert channels"));
                }
            }
        }
        Integer reminder = p.reminderMinutes() == null || p.reminderMinutes() == 0 ? null : p.reminderMinutes();
        if (reminder != null && (reminder < 5 || reminder > 10080)) {
            errors.add(new FieldError("alertPolicy.reminderMinutes", "must be between 5 and 10080 minutes, or 0 for no reminders"));
        }
        return new AlertPolicy(window, success, List.copyOf(new java.util.LinkedHashSet<>(channels.stream()
                .filter(java.util.Objects::nonNull).toList())), reminder, p.quickConfirmation() == null || p.quickConfirmation());
    }
}
