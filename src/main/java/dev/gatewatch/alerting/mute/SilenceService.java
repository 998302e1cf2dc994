package dev.gatewatch.alerting.mute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.api.DateTimeParam;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Sql;
import io.agroal.api.AgroalDataSource;

/** Ad-hoc silences: "quiet for two hours", per monitor or for all of an owner's; and the muter for them. */
@ApplicationScoped
public class SilenceService implements Muter {

    private static final Duration LONGEST = Duration.ofDays(7);
    private static final int MAX_ACTIVE = 200;

    private final AgroalDataSource dataSource;

    public SilenceService(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Mute> mute(long ownerId, long monitorId, Instant at) {
        return Muter.longest(load("where owner_id = ? and ends_at > now()", ownerId).stream().map(Row::silence).toList(), monitorId, at);
    }

    public SilenceView create(long ownerId, SilenceRequest r) {
        if (r == null) {
            throw new InvalidInputException("reason", "a silence needs a reason and an end (endsAt or durationMinutes)");
        }
        List<FieldError> errors = new ArrayList<>();
        String reason = r.reason() == null ? "" : r.reason().strip();
        if (reason.isEmpty() || reason.length() > 200) {
            errors.add(new FieldError("reason", "must be 1 to 200 characters"));
        }
        Long monitor = null;
        if (r.monitorId() != null) {
            List<Long> owned = OwnedMonitors.check(dataSource, ownerId, "monitorId", List.of(r.monitorId()), new ArrayList<>());
            if (owned.isEmpty()) {
                errors.add(new FieldError("monitorId", "is not one of your monitors"));
            } else {
                monitor = owned.get(0);
            }
        }
        Instant now = Instant.now();
        Instant starts = DateTimeParam.parse("startsAt", r.startsAt(), now, errors);
        Instant ends = DateTimeParam.parse("endsAt", r.endsAt(), null, errors);
        if (r.durationMinutes() != null) {
            if (ends != null || r.endsAt() != null && !r.endsAt().isBlank()) {
                errors.add(new FieldError("durationMinutes", "give either endsAt or durationMinutes, not both"));
            } else if (r.durationMinutes() < 1 || r.durationMinutes() > LONGEST.toMinutes()) {
                errors.add(new FieldError("durationMinutes", "must be between 1 and " + LONGEST.toMinutes()));
            } else {
                ends = starts.plus(Duration.ofMinutes(r.durationMinutes()));
            }
        } else if (ends == null && (r.endsAt() == null || r.endsAt().isBlank())) {
            errors.add(new FieldError("endsAt", "is required (or give durationMinutes)"));
        }
        if (ends != null) {
            if (!ends.isAfter(starts)) {
                errors.add(new FieldError("endsAt", "must be after startsAt"));
            } else if (!ends.isAfter(now)) {
                errors.add(new FieldError("endsAt", "is in the past"));
            } else if (Duration.between(starts, ends).compareTo(LONGEST) > 0) {
                errors.add(new FieldError("endsAt", "may be at most 7 days after the start; use a maintenance window for longer"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (Sql.number(dataSource, "select count(*) from silence where owner_id = ? and ends_at > now()", ownerId) >= MAX_ACTIVE) {
            throw new InvalidInputException("reason", "you already have " + MAX_ACTIVE + " active silences");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into silence (owner_id, monitor_id, reason, starts_at, ends_at) values (?, ?, ?, ?, ?) returning id")) {
            ps.setLong(1, ownerId);
            ps.setObject(2, monitor);
            ps.setString(3, reason);
            ps.setTimestamp(4, Timestamp.from(starts));
            ps.setTimestamp(5, Timestamp.from(ends));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return get(ownerId, rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a silence failed", e);
        }
    }

    /** Silences that are on or still to come, then the last week's ended ones, newest first. */
    public List<SilenceView> list(long ownerId) {
        return load("where owner_id = ? and ends_at > now() - interval '7 days' order by ends_at desc, id desc", ownerId).stream()
                .map(r -> r.view(Instant.now())).toList();
    }

    public SilenceView get(long ownerId, long id) {
        return load("where owner_id = ? and id = ?", ownerId, id).stream().findFirst()
                .orElseThrow(() -> new NotFoundProblem("silence " + id)).view(Instant.now());
    }

    /** Ends a silence now (one that has not started is removed); alerts it held are looked at again at once. */
    public void end(long ownerId, long id) {
        get(ownerId, id);
        Sql.update(dataSource, "delete from silence where id = ? and owner_id = ? and starts_at > now()", id, ownerId);
        Sql.update(dataSource, "update silence set ends_at = now() where id = ? and owner_id = ? and ends_at > now()", id, ownerId);
        MuteStore.recheckHeld(dataSource, ownerId);
    }

    private record Row(Silence silence, Instant createdAt) {
        SilenceView view(Instant now) {
            Silence s = silence;
            return new SilenceView(s.id(), s.monitorId(), s.reason(), s.startsAt(), s.endsAt(), s.activeAt(now), createdAt);
        }
    }

    private List<Row> load(String where, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, monitor_id, reason, starts_at, ends_at, created_at from silence " + where)) {
            Sql.bind(ps, params);
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long monitor = Sql.longValue(rs, "monitor_id");
                    out.add(new Row(new Silence(rs.getLong("id"), monitor, rs.getString("reason"),
                            Sql.instant(rs, "starts_at"), Sql.instant(rs, "ends_at")), Sql.instant(rs, "created_at")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading silences failed", e);
        }
    }
}
