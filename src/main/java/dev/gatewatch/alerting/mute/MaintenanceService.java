package dev.gatewatch.alerting.mute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.api.DateTimeParam;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Sql;
import io.agroal.api.AgroalDataSource;

/** Owners' maintenance windows: create, replace, delete, list; and the muter that holds alerts during them. */
@ApplicationScoped
public class MaintenanceService implements Muter {

    private static final int MAX_WINDOWS = 200;
    private static final Duration LONGEST_ONE_OFF = Duration.ofDays(31);

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public MaintenanceService(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public Optional<Mute> mute(long ownerId, long monitorId, Instant at) {
        return Muter.longest(load("where owner_id = ?", ownerId).stream().map(Row::window).toList(), monitorId, at);
    }

    public MaintenanceView create(long ownerId, MaintenanceRequest request) {
        Row v = validate(ownerId, request);
        if (Sql.number(dataSource, "select count(*) from maintenance_window where owner_id = ?", ownerId) >= MAX_WINDOWS) {
            throw new InvalidInputException("name", "you already have " + MAX_WINDOWS + " maintenance windows");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into maintenance_window (owner_id, name, monitor_ids, starts_at, ends_at, recurrence)
                values (?, ?, ?::jsonb, ?, ?, ?::jsonb) returning id
                """)) {
            ps.setLong(1, ownerId);
            fill(ps, 2, v);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return get(ownerId, rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a maintenance window failed", e);
        }
    }

    public MaintenanceView replace(long ownerId, long id, MaintenanceRequest request) {
        get(ownerId, id);
        Row v = validate(ownerId, request);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update maintenance_window set name = ?, monitor_ids = ?::jsonb, starts_at = ?, ends_at = ?, recurrence = ?::jsonb,
                    updated_at = now() where id = ? and owner_id = ?
                """)) {
            fill(ps, 1, v);
            ps.setLong(6, id);
            ps.setLong(7, ownerId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing a maintenance window failed", e);
        }
        MuteStore.recheckHeld(dataSource, ownerId);
        return get(ownerId, id);
    }

    /** Deletes a window; alerts it was holding are looked at again at once. */
    public void delete(long ownerId, long id) {
        get(ownerId, id);
        Sql.update(dataSource, "delete from maintenance_window where id = ? and owner_id = ?", id, ownerId);
        MuteStore.recheckHeld(dataSource, ownerId);
    }

    public List<MaintenanceView> list(long ownerId) {
        Instant now = Instant.now();
        return load("where owner_id = ? order by id", ownerId).stream().map(r -> r.view(now)).toList();
    }

    public MaintenanceView get(long ownerId, long id) {
        return load("where owner_id = ? and id = ?", ownerId, id).stream().findFirst()
                .orElseThrow(() -> new NotFoundProblem("maintenance window " + id)).view(Instant.now());
    }

    /** A stored window: the rule, its request form for the API, and when it was created. */
    private record Row(MaintenanceWindow window, MaintenanceRequest.RecurrenceRequest recurrence, Instant createdAt) {
        MaintenanceView view(Instant now) {
            MaintenanceWindow w = window;
            return new MaintenanceView(w.id(), w.name(), w.monitorIds(), w.startsAt(), w.endsAt(), recurrence,
                    w.occurrenceAt(now).isPresent(), w.next(now).orElse(null), createdAt);
        }
    }

    private Row validate(long ownerId, MaintenanceRequest r) {
        if (r == null) {
            throw new InvalidInputException("name", "a maintenance window needs a name and a time");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            errors.add(new FieldError("name", "must be 1 to 100 characters"));
        }
        List<Long> monitors = OwnedMonitors.check(dataSource, ownerId, "monitorIds", r.monitorIds(), errors);
        Instant starts = DateTimeParam.parse("startsAt", r.startsAt(), null, errors);
        Instant ends = DateTimeParam.parse("endsAt", r.endsAt(), null, errors);
        Recurrence recurrence = null;
        if (r.recurrence() == null) {
            if (r.startsAt() == null || r.startsAt().isBlank()) {
                errors.add(new FieldError("startsAt", "is required for a one-off window (or give a recurrence)"));
            }
            if (r.endsAt() == null || r.endsAt().isBlank()) {
                errors.add(new FieldError("endsAt", "is required for a one-off window (or give a recurrence)"));
            }
            if (starts != null && ends != null && Duration.between(starts, ends).compareTo(LONGEST_ONE_OFF) > 0) {
                errors.add(new FieldError("endsAt", "may be at most 31 days after startsAt"));
            }
        } else {
            recurrence = recurrence(r.recurrence(), errors);
        }
        if (starts != null && ends != null && !ends.isAfter(starts)) {
            errors.add(new FieldError("endsAt", "must be after startsAt"));
        } else if (ends != null && !ends.isAfter(Instant.now())) {
            errors.add(new FieldError("endsAt", "is in the past"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Row(new MaintenanceWindow(0, name, monitors, starts, ends, recurrence),
                recurrence == null ? null : requestOf(recurrence), null);
    }

    private static Recurrence recurrence(MaintenanceRequest.RecurrenceRequest r, List<FieldError> errors) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<String> given = r.days() == null ? List.of() : r.days();
        for (int i = 0; i < given.size(); i++) {
            DayOfWeek d = day(given.get(i));
            if (d == null) {
                errors.add(new FieldError("recurrence.days[" + i + "]", "must be a day such as MONDAY or MON"));
            } else {
                days.add(d);
            }
        }
        LocalTime start = null;
        try {
            start = r.start() == null ? null : LocalTime.parse(r.start().strip());
        } catch (DateTimeParseException e) {
            // reported below
        }
        if (start == null) {
            errors.add(new FieldError("recurrence.start", "must be a local time such as 02:00"));
        }
        int minutes = r.durationMinutes() == null ? 0 : r.durationMinutes();
        if (minutes < 1 || minutes > Recurrence.LONGEST.toMinutes()) {
            errors.add(new FieldError("recurrence.durationMinutes", "must be between 1 and " + Recurrence.LONGEST.toMinutes()));
        }
        ZoneId zone = ZoneId.of("UTC");
        if (r.timeZone() != null && !r.timeZone().isBlank()) {
            try {
                zone = ZoneId.of(r.timeZone().strip());
            } catch (DateTimeException e) {
                errors.add(new FieldError("recurrence.timeZone", "must be a time zone such as Europe/Berlin or UTC"));
            }
        }
        return start == null ? null : new Recurrence(days, start, Duration.ofMinutes(Math.max(1, minutes)), zone);
    }

    private static DayOfWeek day(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(t) || t.length() == 3 && d.name().startsWith(t)) {
                return d;
            }
        }
        return null;
    }

    private static MaintenanceRequest.RecurrenceRequest requestOf(Recurrence r) {
        List<String> days = r.days().stream().sorted().map(DayOfWeek::name).toList();
        return new MaintenanceRequest.RecurrenceRequest(days, r.start().toString(), (int) r.duration().toMinutes(), r.timeZone().getId());
    }

    private void fill(PreparedStatement ps, int first, Row v) throws SQLException {
        MaintenanceWindow w = v.window();
        ps.setString(first, w.name());
        ps.setString(first + 1, write(w.monitorIds()));
        ps.setTimestamp(first + 2, w.startsAt() == null ? null : Timestamp.from(w.startsAt()));
        ps.setTimestamp(first + 3, w.endsAt() == null ? null : Timestamp.from(w.endsAt()));
        ps.setString(first + 4, v.recurrence() == null ? null : write(v.recurrence()));
    }

    private List<Row> load(String where, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, name, monitor_ids::text, starts_at, ends_at, recurrence::text, created_at from maintenance_window " + where)) {
            Sql.bind(ps, params);
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Long> monitors = json.readValue(rs.getString("monitor_ids"), new TypeReference<List<Long>>() { });
                    String rec = rs.getString("recurrence");
                    MaintenanceRequest.RecurrenceRequest rr = rec == null ? null : json.readValue(rec, MaintenanceRequest.RecurrenceRequest.class);
                    Recurrence recurrence = rr == null ? null : new Recurrence(
                            new LinkedHashSet<>(rr.days().stream().map(DayOfWeek::valueOf).toList()), LocalTime.parse(rr.start()),
                            Duration.ofMinutes(rr.durationMinutes()), ZoneId.of(rr.timeZone()));
                    out.add(new Row(new MaintenanceWindow(rs.getLong("id"), rs.getString("name"), monitors, Sql.instant(rs, "starts_at"),
                            Sql.instant(rs, "ends_at"), recurrence), rr, Sql.instant(rs, "created_at")));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("reading maintenance windows failed", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
