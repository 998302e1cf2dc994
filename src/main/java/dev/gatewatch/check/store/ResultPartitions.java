package dev.gatewatch.check.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * Creates the time partitions of results and rollups ahead of time and drops whole partitions past retention
 * (dropping a partition is instant; deleting rows from a big table is not). Any node may run it; an advisory lock
 * keeps two from doing it at once.
 */
public final class ResultPartitions {

    private static final Logger LOG = Logger.getLogger(ResultPartitions.class);
    private static final long LOCK = 0x6761746577617463L; // "gatewatc"

    /**
     * A partitioned table, cut by day or by month (UTC); {@code fillfactor} below 100 leaves room on each page of a
     * partition whose rows are updated in place, so the updates stay HOT (no index entry, space reused without vacuum).
     */
    public record Table(String name, boolean monthly, Duration retention, int fillfactor) {
        public Table(String name, boolean monthly, Duration retention) {
            this(name, monthly, retention, 100);
        }
    }

    private final DataSource dataSource;
    private final List<Table> tables;
    private final int daysAhead;

    public ResultPartitions(DataSource dataSource, List<Table> tables, int daysAhead) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.daysAhead = daysAhead;
    }

    /** Creates missing partitions from yesterday to {@code daysAhead} days ahead; drops expired ones. */
    public void maintain(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.rollback();
                        return; // another node is at it right now
                    }
                }
            }
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            try (Statement st = c.createStatement()) {
                for (Table t : tables) {
                    for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(daysAhead)); day = day.plusDays(1)) {
                        LocalDate from = t.monthly() ? day.withDayOfMonth(1) : day;
                        LocalDate to = t.monthly() ? from.plusMonths(1) : from.plusDays(1);
                        st.execute("create table if not exists " + partition(t, from) + " partition of " + t.name()
                                + " for values from ('" + from + " 00:00:00+00') to ('" + to + " 00:00:00+00')"
                                + (t.fillfactor() < 100 ? " with (fillfactor = " + t.fillfactor() + ")" : ""));
                    }
                    for (String name : partitions(c, t)) {
                        LocalDate from = start(t, name);
                        LocalDate end = t.monthly() ? from.plusMonths(1) : from.plusDays(1);
                        if (!end.atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(now.minus(t.retention()))) {
                            st.execute("drop table " + name);
                            LOG.infof("dropped %s (past the %s retention of %s)", name, t.retention(), t.name());
                        }
                    }
                }
            }
            c.commit();
        }
    }

    /** Names of the table's partitions. */
    public List<String> partitions(Connection c, Table t) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select child.relname from pg_inherits i
                join pg_class child on child.oid = i.inhrelid join pg_class parent on parent.oid = i.inhparent
                where parent.relname = ? order by 1
                """)) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names.stream().filter(n -> n.matches(t.name() + "_p\\d{6}(\\d{2})?")).toList();
    }

    private static String partition(Table t, LocalDate from) {
        return t.name() + "_p" + from.format(DateTimeFormatter.ofPattern(t.monthly() ? "yyyyMM" : "yyyyMMdd"));
    }

    private static LocalDate start(Table t, String partition) {
        String digits = partition.substring(t.name().length() + 2);
        return t.monthly() ? LocalDate.parse(digits + "01", DateTimeFormatter.BASIC_ISO_DATE)
                : LocalDate.parse(digits, DateTimeFormatter.BASIC_ISO_DATE);
    }
}
