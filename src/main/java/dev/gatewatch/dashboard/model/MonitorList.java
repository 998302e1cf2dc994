package dev.gatewatch.dashboard.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The monitor list as asked for: filtered by text and state, sorted, and cut to a page.
 *
 * @param shown   the monitors on this page
 * @param matched how many matched the filter
 * @param total   how many monitors the owner has
 * @param counts  how many monitors are in each state filter, for the filter's labels
 */
public record MonitorList(List<MonitorSummary> shown, int matched, int total, Query query, int pages, Counts counts) {

    /** What the owner asked for; every field has a default, so any query string yields a list. */
    public record Query(String text, Filter filter, Sort sort, int page) {

        public static final int PAGE_SIZE = 100;

        public static Query of(String text, String filter, String sort, Integer page) {
            return new Query(text == null ? "" : text.strip(), Filter.parse(filter), Sort.parse(sort), page == null ? 0 : Math.max(0, page));
        }

        /** The query string for a link to this list with another sort or page, e.g. "?q=shop&state=problems&sort=name". */
        public String link(String sortCode, int toPage) {
            StringBuilder s = new StringBuilder("?sort=").append(sortCode);
            if (!text.isEmpty()) {
                s.append("&q=").append(java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (filter != Filter.ALL) {
                s.append("&state=").append(filter.code());
            }
            if (toPage > 0) {
                s.append("&page=").append(toPage);
            }
            return s.toString();
        }

        public String link() {
            return link(sort.code(), page);
        }
    }

    public record Counts(int all, int problems, int up, int paused) {
    }

    public enum Filter {
        ALL("all"), PROBLEMS("problems"), UP("up"), PAUSED("paused");

        private final String code;

        Filter(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        static Filter parse(String code) {
            return Arrays.stream(values()).filter(f -> f.code.equals(code)).findFirst().orElse(ALL);
        }

        boolean accepts(MonitorSummary m) {
            return switch (this) {
                case ALL -> true;
                case PROBLEMS -> m.health().problem();
                case UP -> m.health() == Health.UP;
                case PAUSED -> m.paused();
            };
        }
    }

    public enum Sort {
        STATE("state", "state, worst first"),
        NAME("name", "name"),
        UPTIME_DAY("uptime-24h", "uptime 24 h, lowest first"),
        UPTIME_WEEK("uptime-7d", "uptime 7 d, lowest first"),
        UPTIME_MONTH("uptime-30d", "uptime 30 d, lowest first"),
        UPTIME_QUARTER("uptime-90d", "uptime 90 d, lowest first"),
        RESPONSE("response", "response time, slowest first");

        private final String code;
        private final String label;

        Sort(String code, String label) {
            this.code = code;
            this.label = label;
        }

        public String code() {
            return code;
        }

        public String label() {
            return label;
        }

        static Sort parse(String code) {
            return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst().orElse(STATE);
        }

        Comparator<MonitorSummary> comparator() {
            Comparator<MonitorSummary> byName = Comparator.comparing((MonitorSummary m) -> m.name().toLowerCase(Locale.ROOT))
                    .thenComparingLong(MonitorSummary::id);
            return switch (this) {
                case STATE -> Comparator.comparingInt((MonitorSummary m) -> m.health().severity()).thenComparing(byName);
                case NAME -> byName;
                case UPTIME_DAY -> uptime(Period.DAY).thenComparing(byName);
                case UPTIME_WEEK -> uptime(Period.WEEK).thenComparing(byName);
                case UPTIME_MONTH -> uptime(Period.MONTH).thenComparing(byName);
                case UPTIME_QUARTER -> uptime(Period.QUARTER).thenComparing(byName);
                case RESPONSE -> Comparator.comparing(MonitorSummary::latestMs, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(byName);
            };
        }

        private static Comparator<MonitorSummary> uptime(Period p) {
            return Comparator.comparing((MonitorSummary m) -> m.uptime(p).percent(), Comparator.nullsLast(Comparator.naturalOrder()));
        }
    }

    /** The page number people read (1-based). */
    public int pageNumber() {
        return query.page() + 1;
    }

    /** Link to the previous page, or null on the first. */
    public String previous() {
        return query.page() > 0 ? query.link(query.sort().code(), query.page() - 1) : null;
    }

    /** Link to the next page, or null on the last. */
    public String next() {
        return query.page() + 1 < pages ? query.link(query.sort().code(), query.page() + 1) : null;
    }

    public static MonitorList of(List<MonitorSummary> all, Query q) {
        String needle = q.text().toLowerCase(Locale.ROOT);
        List<MonitorSummary> matching = all.stream()
                .filter(m -> needle.isEmpty() || m.name().toLowerCase(Locale.ROOT).contains(needle)
                        || m.url().toLowerCase(Locale.ROOT).contains(needle))
                .filter(q.filter()::accepts)
                .sorted(q.sort().comparator())
                .toList();
        int pages = Math.max(1, (matching.size() + Query.PAGE_SIZE - 1) / Query.PAGE_SIZE);
        int page = Math.min(q.page(), pages - 1);
        Counts counts = new Counts(all.size(), (int) all.stream().filter(Filter.PROBLEMS::accepts).count(),
                (int) all.stream().filter(Filter.UP::accepts).count(), (int) all.stream().filter(Filter.PAUSED::accepts).count());
        return new MonitorList(matching.subList(page * Query.PAGE_SIZE, Math.min(matching.size(), (page + 1) * Query.PAGE_SIZE)),
                matching.size(), all.size(), new Query(q.text(), q.filter(), q.sort(), page), pages, counts);
    }
}
