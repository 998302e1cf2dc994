package dev.gatewatch.check.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatewatch.api.Storable;
import dev.gatewatch.check.CheckResult;

/**
 * The dictionary keys a raw result names its checker (with its region) and its resolver by ({@code result_checker},
 * {@code result_resolver}), cached for the life of the writer. Shared by the writer's lanes. Dictionary rows are
 * never deleted, so a cached key stays valid.
 */
final class ResultLabels {

    private record Checker(String id, String region) {
    }

    private final Map<Checker, Integer> checkers = new ConcurrentHashMap<>();
    private final Map<String, Integer> resolvers = new ConcurrentHashMap<>();

    /**
     * Makes sure every checker and resolver of {@code results} has a key. Missing ones are added and committed at once,
     * before the caller's batch writes anything on {@code c}: a batch rolled back later must not leave a cached key
     * that was never stored.
     */
    void resolve(Connection c, List<CheckResult> results) throws SQLException {
        // Sorted, so two lanes adding the same new keys insert them in one order and wait instead of deadlocking.
        Set<Checker> newCheckers = new TreeSet<>(Comparator.comparing(Checker::id).thenComparing(Checker::region));
        Set<String> newResolvers = new TreeSet<>();
        for (CheckResult r : results) {
            Checker k = checker(r);
            if (!checkers.containsKey(k)) {
                newCheckers.add(k);
            }
            String resolver = resolver(r);
            if (!resolvers.containsKey(resolver)) {
                newResolvers.add(resolver);
            }
        }
        if (newCheckers.isEmpty() && newResolvers.isEmpty()) {
            return;
        }
        if (!newCheckers.isEmpty()) {
            Object[][] cols = {newCheckers.stream().map(Checker::id).toArray(), newCheckers.stream().map(Checker::region).toArray()};
            // Two statements: the second's snapshot also sees keys another lane added meanwhile (the insert waited for it).
            run(c, "insert into result_checker (checker_id, region) select * from unnest(?::text[], ?::text[]) on conflict do nothing",
                    cols, null);
            run(c, "select c.id, c.checker_id, c.region from result_checker c join unnest(?::text[], ?::text[]) as t(k, rg)"
                    + " on c.checker_id = t.k and c.region = t.rg", cols,
                    rs -> checkers.put(new Checker(rs.getString(2), rs.getString(3)), rs.getInt(1)));
        }
        if (!newResolvers.isEmpty()) {
            Object[][] cols = {newResolvers.toArray()};
            run(c, "insert into result_resolver (resolver) select * from unnest(?::text[]) on conflict do nothing", cols, null);
            run(c, "select id, resolver from result_resolver where resolver = any(?::text[])", cols,
                    rs -> resolvers.put(rs.getString(2), rs.getInt(1)));
        }
        if (!checkers.keySet().containsAll(newCheckers) || !resolvers.keySet().containsAll(newResolvers)) {
            throw new SQLException("result labels were not stored: " + newCheckers + " " + newResolvers);
        }
        c.commit();
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void run(Connection c, String sql, Object[][] textColumns, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < textColumns.length; i++) {
                ps.setArray(i + 1, PgArrays.of(c, "text", textColumns[i]));
            }
            if (row == null) {
                ps.executeUpdate();
                return;
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    /** The checker's key; {@link #resolve} has run for {@code r}. */
    int checkerKey(CheckResult r) {
        return checkers.get(checker(r));
    }

    /** The resolver's key; {@link #resolve} has run for {@code r}. */
    int resolverKey(CheckResult r) {
        return resolvers.get(resolver(r));
    }

    private static Checker checker(CheckResult r) {
        Storable s = new Storable();
        return new Checker(s.text(r.checkerId()), s.text(r.region()));
    }

    private static String resolver(CheckResult r) {
        return new Storable().text(r.resolver());
    }
}
