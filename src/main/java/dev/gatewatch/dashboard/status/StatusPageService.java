package dev.gatewatch.dashboard.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import dev.gatewatch.dashboard.DashboardQueries;
import dev.gatewatch.dashboard.model.MonitorSummary;
import io.agroal.api.AgroalDataSource;

/** Owners' public status pages: settings (one page per owner), the public view, and what badges show. */
@ApplicationScoped
public class StatusPageService {

    /** How far back a status page lists incidents. */
    public static final int INCIDENT_DAYS = 14;
    public static final int MAX_MONITORS = 1000;
    private static final int MAX_GROUPS = 50;
    private static final java.util.regex.Pattern SLUG = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final TypeReference<Map<String, List<String>>> ADDRESSES = new TypeReference<>() { };

    private final AgroalDataSource dataSource;
    private final DashboardQueries queries;
    private final GatewatchConfig config;
    private final ObjectMapper json;

    public StatusPageService(AgroalDataSource dataSource, DashboardQueries queries, GatewatchConfig config, ObjectMapper json) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.config = config;
        this.json = json;
    }

    /** The owner's page settings, if they have saved any. */
    public Optional<StatusPageView> get(long ownerId) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, "owner_id = ?", ownerId);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the status page failed", e);
        }
    }

    /** Replaces the owner's page settings; every rule broken is reported at once. */
    public StatusPageView save(long ownerId, StatusPageRequest request) {
        // an empty or null body is a page with nothing set: its required fields are named below
        StatusPageRequest in = request == null ? new StatusPageRequest(null, null, null, null, null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        String slug = in.slug() == null ? "" : in.slug().strip();
        if (!SLUG.matcher(slug).matches()) {
            errors.add(new FieldError("slug", "must be 1-40 lower-case letters, digits or inner hyphens"));
        }
        String title = in.title() == null ? "" : in.title().strip();
        if (title.isEmpty() || title.length() > 100) {
            errors.add(new FieldError("title", "must be 1-100 characters"));
        }
        String description = in.description() == null || in.description().isBlank() ? null : in.description().strip();
        if (description != null && description.length() > 1000) {
            errors.add(new FieldError("description", "must be at most 1000 characters"));
        }
        List<String> embedOrigins = embedOrigins(in.embedOrigins(), errors);
        List<StatusPageRequest.Group> groups = in.groups() == null ? List.of() : in.groups();
        if (groups.size() > MAX_GROUPS) {
            errors.add(new FieldError("groups", "at most " + MAX_GROUPS + " groups"));
        }
        try (Connection c = dataSource.getConnection()) {
            Set<Long> owned = ownedMonitors(c, ownerId);
            Set<Long> seen = new HashSet<>();
            for (int g = 0; g < groups.size(); g++) {
                StatusPageRequest.Group group = groups.get(g);
                if (group == null) {
                    errors.add(new FieldError("groups[" + g + "]", "must not be null"));
                    continue;
                }
                if (group.name() != null && group.name().length() > 60) {
                    errors.add(new FieldError("groups[" + g + "].name", "must be at most 60 characters"));
                }
                List<StatusPageRequest.Entry> entries = group.monitors() == null ? List.of() : group.monitors();
                for (int i = 0; i < entries.size(); i++) {
                    StatusPageRequest.Entry e = entries.get(i);
                    String field = "groups[" + g + "].monitors[" + i + "]";
                    if (e == null || e.monitorId() == null || !owned.contains(e.monitorId())) {
                        errors.add(new FieldError(field + ".monitorId", "is not one of your monitors"));
                    } else if (!seen.add(e.monitorId())) {
                        errors.add(new FieldError(field + ".monitorId", "is already on the page"));
                    }
                    if (e != null && e.displayName() != null && e.displayName().length() > 100) {
                        errors.add(new FieldError(field + ".displayName", "must be at most 100 characters"));
                    }
                }
            }
            if (seen.size() > MAX_MONITORS) {
                errors.add(new FieldError("groups", "at most " + MAX_MONITORS + " monitors"));
            }
            if (errors.isEmpty() && taken(c, slug, ownerId)) {
                errors.add(new FieldError("slug", "is taken"));
            }
            if (errors.isEmpty()) {
                reservedForAnother(c, slug, ownerId).ifPresent(until -> errors.add(new FieldError("slug",
                        "was given up by its previous owner and stays reserved for them until " + until.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                                + ", so that visitors' links cannot lead to another page; choose another address")));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            c.setAutoCommit(false);
            try {
                release(c, ownerId, slug);
                long pageId;
                try (PreparedStatement ps = Sql.bind(c.prepareStatement("""
                        insert into status_page (owner_id, slug, title, description, enabled, show_details, embed_origins)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (owner_id) do update set slug = excluded.slug, title = excluded.title,
                            description = excluded.description, enabled = excluded.enabled, show_details = excluded.show_details,
                            embed_origins = excluded.embed_origins, updated_at = now()
                        returning id
                        """), ownerId, slug, title, description, Boolean.TRUE.equals(in.enabled()), Boolean.TRUE.equals(in.showDetails()),
                        c.createArrayOf("text", embedOrigins.toArray()));
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pageId = rs.getLong(1);
                }
                try (PreparedStatement ps = Sql.bind(c.prepareStatement("delete from status_page_monitor where page_id = ?"), pageId)) {
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into status_page_monitor (page_id, monitor_id, group_name, display_name, position) values (?, ?, ?, ?, ?)
                        """)) {
                    int position = 0;
                    for (StatusPageRequest.Group group : groups) {
                        for (StatusPageRequest.Entry e : group.monitors() == null ? List.<StatusPageRequest.Entry>of() : group.monitors()) {
                            String name = e.displayName() == null || e.displayName().isBlank() ? null : e.displayName().strip();
                            Sql.bind(ps, pageId, e.monitorId(), group.name() == null ? "" : group.name().strip(), name, position++).addBatch();
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException s && "23505".equals(s.getSQLState())) {
                    throw new InvalidInputException("slug", "is taken"); // lost a race for the same slug
                }
                throw e;
            }
            return read(c, "owner_id = ?", ownerId).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException("saving the status page failed", e);
        }
    }

    /** The enabled page at {@code slug}, as visitors see it. */
    public PublicPage publicPage(String slug, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            Page page = enabledPage(c, slug);
            List<Long> ids = page.entries().stream().map(Entry::monitorId).toList();
            Map<Long, MonitorSummary> summaries = queries.summaries(ids, now).stream()
                    .collect(Collectors.toMap(MonitorSummary::id, Function.identity()));
            Map<Long, String> strips = queries.stripCells(ids, now);
            Map<String, List<PublicPage.Component>> groups = new LinkedHashMap<>();
            Map<Long, String> names = new LinkedHashMap<>();
            for (Entry e : page.entries()) {
                MonitorSummary s = summaries.get(e.monitorId());
                String name = e.displayName() != null ? e.displayName() : s.name();
                names.put(e.monitorId(), name);
                groups.computeIfAbsent(e.group(), k -> new ArrayList<>()).add(new PublicPage.Component(e.monitorId(), name, s.visible(),
                        s.quarter(), strips.get(e.monitorId())));
            }
            List<PublicPage.Group> grouped = groups.entrySet().stream().map(g -> new PublicPage.Group(g.getKey(), g.getValue())).toList();
            List<PublicPage.Component> all = grouped.stream().flatMap(g -> g.components().stream()).toList();
            return new PublicPage(page.view().slug(), page.view().url(), page.view().title(), page.view().description(),
                    PublicPage.Overall.of(all), grouped, incidents(c, page.view().slug(), names, page.view().showDetails(), now),
                    page.view().updatedAt(), page.view().embedOrigins());
        } catch (SQLException e) {
            throw new IllegalStateException("reading status page " + slug + " failed", e);
        }
    }

    /** A monitor's summary for its badges, if it is on the enabled page at {@code slug}. */
    public MonitorSummary badge(String slug, long monitorId, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            Page page = enabledPage(c, slug);
            if (page.entries().stream().noneMatch(e -> e.monitorId() == monitorId)) {
                throw new NotFoundProblem("monitor " + monitorId + " on status page " + slug);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading status page " + slug + " failed", e);
        }
        return queries.summaries(List.of(monitorId), now).get(0);
    }

    /** The owner's monitors to choose from: id and name, in id order. */
    public List<Choice> choices(long ownerId) {
        List<Choice> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = Sql.bind(c.prepareStatement("select id, name, url from monitor where owner_id = ? order by id"), ownerId);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Choice(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading monitors failed", e);
        }
        return out;
    }

    public record Choice(long id, String name, String url) {
    }

    private record Entry(long monitorId, String group, String displayName) {
    }

    private record Page(long id, StatusPageView view, List<Entry> entries) {
    }

    private Page enabledPage(Connection c, String slug) throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("select id from status_page where slug = ? and enabled"), slug);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new NotFoundProblem("status page " + slug);
            }
            long id = rs.getLong(1);
            StatusPageView view = read(c, "id = ?", id).orElseThrow();
            return new Page(id, view, entries(c, id));
        }
    }

    private Optional<StatusPageView> read(Connection c, String where, long key) throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("select * from status_page where " + where), key);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Map<String, List<StatusPageRequest.Entry>> groups = new LinkedHashMap<>();
            for (Entry e : entries(c, rs.getLong("id"))) {
                groups.computeIfAbsent(e.group(), k -> new ArrayList<>()).add(new StatusPageRequest.Entry(e.monitorId(), e.displayName()));
            }
            String slug = rs.getString("slug");
            return Optional.of(new StatusPageView(slug, rs.getString("title"), rs.getString("description"), rs.getBoolean("enabled"),
                    rs.getBoolean("show_details"), groups.entrySet().stream().map(g -> new StatusPageRequest.Group(g.getKey(), g.getValue())).toList(),
                    List.of((String[]) rs.getArray("embed_origins").getArray()), PublicUrl.of(config) + "/status/" + slug, Sql.instant(rs, "updated_at")));
        }
    }

    private static List<Entry> entries(Connection c, long pageId) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("""
                select monitor_id, group_name, display_name from status_page_monitor where page_id = ? order by position
                """), pageId); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    /** Confirmed incidents only: blips and suspicions never reach a public page. */
    private List<PublicIncident> incidents(Connection c, String slug, Map<Long, String> names, boolean details, Instant now)
            throws SQLException {
        List<PublicIncident> out = new ArrayList<>();
        if (names.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("""
                select monitor_id, kind, scope, started_at, resolved_at, id from incident
                where monitor_id = any(?) and confirmed_at is not null and kind in ('outage', 'partial', 'flapping', 'degraded')
                  and (resolved_at is null or resolved_at > ?)
                order by started_at desc limit 50
                """), c.createArrayOf("bigint", names.keySet().toArray(Long[]::new)),
                OffsetDateTime.ofInstant(now.minus(Duration.ofDays(INCIDENT_DAYS)), ZoneOffset.UTC)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(PublicIncident.of(incidentKey(slug, rs.getLong("id")), names.get(rs.getLong(1)), rs.getString(2),
                        where(rs.getString(3)), details,
                        Sql.instant(rs, "started_at"), Sql.instant(rs, "resolved_at"), now));
            }
        }
        return out;
    }

    /** Stable per page and incident, and not the bare database id. */
    private static String incidentKey(String slug, long incidentId) {
        return Fingerprint.of(slug + "/" + incidentId, 8);
    }

    private PublicIncident.Where where(String scope) {
        try {
            JsonNode s = json.readTree(scope);
            return new PublicIncident.Where(s.path("extent").asText(null), strings(s.path("regions")), strings(s.path("resolvers")),
                    s.hasNonNull("addresses") ? json.convertValue(s.get("addresses"), ADDRESSES) : Map.of(), strings(s.path("pops")));
        } catch (Exception e) {
            return new PublicIncident.Where(null, List.of(), List.of(), Map.of(), List.of());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<Long> ownedMonitors(Connection c, long ownerId) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("select id from monitor where owner_id = ?"), ownerId);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Origins a frame may be on: scheme, host (or {@code *.} and a domain) and an optional port, or {@code *} alone. */
    private static final Pattern ORIGIN = Pattern.compile("https?://(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\\d{1,5})?");
    static final int MAX_EMBED_ORIGINS = 10;

    private static List<String> embedOrigins(List<String> in, List<FieldError> errors) {
        List<String> out = new ArrayList<>();
        List<String> given = in == null ? List.of() : in;
        if (given.size() > MAX_EMBED_ORIGINS) {
            errors.add(new FieldError("embedOrigins", "at most " + MAX_EMBED_ORIGINS + " sites"));
            return out;
        }
        for (int i = 0; i < given.size(); i++) {
            String o = given.get(i) == null ? "" : given.get(i).strip().toLowerCase(java.util.Locale.ROOT);
            while (o.endsWith("/")) {
                o = o.substring(0, o.length() - 1);
            }
            if (o.equals("*") ? given.size() == 1 : o.length() <= 200 && ORIGIN.matcher(o).matches()) {
                if (!out.contains(o)) {
                    out.add(o);
                }
            } else {
                errors.add(new FieldError("embedOrigins[" + i + "]", "must be a site such as https://www.example.com (scheme, host and "
                        + "optional port, no path), or * alone for any site"));
            }
        }
        return out;
    }

    /** Until when another owner holds {@code slug} in reserve after giving it up, if they still do. */
    private static Optional<Instant> reservedForAnother(Connection c, String slug, long ownerId) throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("""
                select reserved_until from released_slug
                where slug = ? and reserved_until > now() and owner_id is distinct from ?
                """), slug, ownerId); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Sql.instant(rs, "reserved_until")) : Optional.empty();
        }
    }

    /**
     * Inside the saving transaction: the owner's previous address, if it changes, is reserved for them; the one they
     * take now is no longer held in reserve. Locks the page row so two saves cannot both see the old address.
     */
    private void release(Connection c, long ownerId, String slug) throws SQLException {
        String previous = null;
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("select slug from status_page where owner_id = ? for update"), ownerId);
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                previous = rs.getString(1);
            }
        }
        if (previous != null && !previous.equals(slug)) {
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("""
                    insert into released_slug (slug, owner_id, reserved_until) values (?, ?, now() + ?::interval)
                    on conflict (slug) do update set owner_id = excluded.owner_id, released_at = now(),
                        reserved_until = excluded.reserved_until
                    """), previous, ownerId, config.web().releasedSlugReserve().toSeconds() + " seconds")) {
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("delete from released_slug where slug = ? and (owner_id = ? or reserved_until <= now())"),
                slug, ownerId)) {
            ps.executeUpdate();
        }
    }

    private static boolean taken(Connection c, String slug, long ownerId) throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement("select 1 from status_page where slug = ? and owner_id <> ?"), slug, ownerId);
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
