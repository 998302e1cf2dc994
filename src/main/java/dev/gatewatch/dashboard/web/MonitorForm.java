package dev.gatewatch.dashboard.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatewatch.alerting.web.FormErrors;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.monitor.AlertPolicy;
import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.MonitorRequest;
import dev.gatewatch.monitor.MonitorView;

/**
 * The monitor form of the web UI, as shown and as submitted. Every field is kept as typed, so a refused form comes back
 * unchanged; it is mapped to the API's request so the API's validation (and its field names) serve the form too.
 *
 * @param resolvers      the ticked preset resolvers
 * @param otherResolvers further resolvers, comma or space separated
 * @param regions        comma or space separated; empty: every region
 * @param headers        one {@code Name: value} per line
 * @param bodyAssertions one {@code type: value} per line
 */
public record MonitorForm(String name, String url, String method, String intervalSeconds, String timeoutMs, String expectedStatus,
                          List<String> resolvers, String otherResolvers, String regions, String maxResponseTimeMs,
                          String confirmationWindowSeconds, boolean quickConfirmation, String successThreshold, String reminderMinutes,
                          List<Long> channels, String headers, String body, String bodyAssertions) {

    /** Controls the form has; errors for other fields (settings only the API sets) are listed at the top. */
    static final List<String> FIELDS = List.of("name", "url", "method", "intervalSeconds", "timeoutMs", "expectedStatus", "resolvers",
            "regions", "maxResponseTimeMs", "alertPolicy.confirmationWindowSeconds", "alertPolicy.quickConfirmation",
            "alertPolicy.successThreshold",
            "alertPolicy.reminderMinutes", "alertPolicy.channels", "headers", "body", "bodyAssertions", "confirm");

    private static final Pattern LIST_ITEM = Pattern.compile("(resolvers|regions|bodyAssertions)\\[(\\d+)](?:\\.(\\w+))?");

    /** A new monitor's form, showing the defaults the API would apply. */
    public static MonitorForm blank(List<String> defaultResolvers) {
        return new MonitorForm("", "", "GET", "60", "10000", "200-399", defaultResolvers, "", "", "", "60", true, "2", "", List.of(),
                "", "", "");
    }

    public static MonitorForm of(MonitorView v, List<String> presets) {
        AlertPolicy p = v.alertPolicy();
        StringBuilder headers = new StringBuilder();
        v.headers().forEach((name, value) -> headers.append(name).append(": ").append(value).append('\n'));
        StringBuilder assertions = new StringBuilder();
        v.bodyAssertions().forEach(a -> assertions.append(a.type()).append(": ").append(a.value()).append('\n'));
        return new MonitorForm(v.name(), v.url(), v.method(), text(v.intervalSeconds()), text(v.timeoutMs()), v.expectedStatus(),
                v.resolvers().stream().filter(presets::contains).toList(),
                String.join(", ", v.resolvers().stream().filter(r -> !presets.contains(r)).toList()),
                String.join(", ", v.regions()), text(v.maxResponseTimeMs()), text(p.confirmationWindowSeconds()),
                p.quickConfirmation() == null || p.quickConfirmation(), text(p.successThreshold()), text(p.reminderMinutes()), p.channels(), headers.toString(), text(v.body()),
                assertions.toString());
    }

    /**
     * The API request for this form. Settings the form does not show are taken from {@code current} (null for a new
     * monitor: the API's defaults), so an edit keeps what was set through the API.
     *
     * @param problems receives what the form itself cannot read, named by the API's field names
     */
    public MonitorRequest toRequest(MonitorView current, List<FieldError> problems) {
        boolean https = url != null && url.strip().toLowerCase(Locale.ROOT).startsWith("https:");
        return new MonitorRequest(name, url, method, headerMap(problems), body == null || body.isBlank() ? null : body,
                blankToNull(expectedStatus), assertionList(problems), current == null ? null : current.jsonAssertions(),
                number("maxResponseTimeMs", maxResponseTimeMs, problems),
                // a minimum certificate validity set for an https URL would be refused once the URL is http
                current == null || !https ? null : current.minTlsValidityDays(),
                number("intervalSeconds", intervalSeconds, problems), number("timeoutMs", timeoutMs, problems),
                current == null ? null : current.followRedirects(), current == null ? null : current.maxRedirects(),
                regionList(), resolverList(),
                new AlertPolicy(number("alertPolicy.confirmationWindowSeconds", confirmationWindowSeconds, problems),
                        number("alertPolicy.successThreshold", successThreshold, problems), channels,
                        number("alertPolicy.reminderMinutes", reminderMinutes, problems), quickConfirmation));
    }

    /** The API's errors for display: an error on one list item or header says which one, and sits by its control. */
    public FormErrors errors(List<FieldError> errors) {
        List<FieldError> out = new ArrayList<>();
        for (FieldError e : errors) {
            Matcher item = LIST_ITEM.matcher(e.field());
            if (e.field().startsWith("headers.")) {
                out.add(new FieldError("headers", e.field().substring("headers.".length()) + " " + e.message()));
            } else if (item.matches()) {
                out.add(new FieldError(item.group(1), itemMessage(item.group(1), Integer.parseInt(item.group(2)), item.group(3), e.message())));
            } else {
                out.add(e);
            }
        }
        return new FormErrors(out);
    }

    public boolean hasResolver(String resolver) {
        return resolvers.contains(resolver);
    }

    public boolean alertsTo(long channelId) {
        return channels.contains(channelId);
    }

    private String itemMessage(String list, int index, String part, String message) {
        return switch (list) {
            case "resolvers" -> message.startsWith("'") ? message : "'" + at(resolverList(), index) + "' " + message;
            case "regions" -> "'" + at(regionList(), index) + "' " + message;
            default -> "'" + at(lines(bodyAssertions), index) + "': " + (part == null ? "" : part + " ") + message;
        };
    }

    List<String> resolverList() {
        List<String> out = new ArrayList<>(resolvers);
        out.addAll(words(otherResolvers));
        return out;
    }

    List<String> regionList() {
        return words(regions);
    }

    private Map<String, String> headerMap(List<FieldError> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(headers)) {
            int colon = line.indexOf(':');
            if (colon < 1) {
                problems.add(new FieldError("headers", "line '" + line + "' is not Name: value"));
            } else if (out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip()) != null) {
                problems.add(new FieldError("headers", line.substring(0, colon).strip() + " is given twice"));
            }
        }
        return out;
    }

    private List<BodyAssertion> assertionList(List<FieldError> problems) {
        List<BodyAssertion> out = new ArrayList<>();
        for (String line : lines(bodyAssertions)) {
            int colon = line.indexOf(':');
            if (colon < 1) {
                problems.add(new FieldError("bodyAssertions", "line '" + line + "' is not type: value"));
                continue;
            }
            String value = line.substring(colon + 1);
            // one space after the colon is layout; anything more belongs to the keyword or pattern
            out.add(new BodyAssertion(line.substring(0, colon).strip(), value.startsWith(" ") ? value.substring(1) : value));
        }
        return out;
    }

    /** Blank: the API's default; not a number: said at once, as the API never sees it. */
    private static Integer number(String field, String text, List<FieldError> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            problems.add(new FieldError(field, "must be a whole number"));
            return null;
        }
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> words(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[,\\s]+")).filter(w -> !w.isBlank()).toList();
    }

    private static String at(List<String> items, int index) {
        return index < items.size() ? items.get(index) : "";
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
