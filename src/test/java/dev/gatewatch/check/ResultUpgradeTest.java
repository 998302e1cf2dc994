package dev.gatewatch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.DatabaseLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Upgrading a database that holds raw results in the old shape (text region, resolver and checker in every row): every
 * result keeps its labels, through the dictionaries, in a database of its own on the test server.
 */
@QuarkusTest
@TestProfile(CheckerProfile.class)
class ResultUpgradeTest {

    @Inject
    DatabaseLogin db;

    @Test
    void resultsStoredBeforeTheCompactRowKeepTheirRegionResolverAndChecker() throws Exception {
        String name = "upgrade_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement st = admin.createStatement()) {
            st.execute("create database " + name);
        }
        String url = db.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        try {
            Flyway.configure().dataSource(url, db.user(), db.password()).locations("classpath:db/migration").target("14").load().migrate();
            try (Connection c = DriverManager.getConnection(url, db.user(), db.password()); Statement st = c.createStatement()) {
                st.execute("create table check_result_old partition of check_result for values from ('2026-01-01') to ('2026-01-02')");
                st.execute("""
                        insert into check_result (monitor_id, region, resolver, checker_id, due_at, started_at, ok, status, total_ms,
                                                  redirects, final_url)
                        select g % 3, case when g % 2 = 0 then 'eu-west' else 'us-east' end, case when g % 3 = 0 then 'system' else '1.1.1.1' end,
                               case when g % 2 = 0 then 'eu-node' else 'us-node' end, timestamptz '2026-01-01 10:00Z' + g * interval '1 s',
                               timestamptz '2026-01-01 10:00:00.040Z' + g * interval '1 s', g % 5 <> 0, 200, g, 0, 'http://example.test/'
                        from generate_series(1, 60) g
                        """);
            }
            Flyway.configure().dataSource(url, db.user(), db.password()).locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(url, db.user(), db.password()); Statement st = c.createStatement()) {
                List<String> wrong = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("""
                        select total_ms, region, resolver, checker_id, ok, due_at = timestamptz '2026-01-01 10:00Z' + total_ms * interval '1 s'
                        from check_result_full order by total_ms
                        """)) {
                    int n = 0;
                    while (rs.next()) {
                        int g = rs.getInt(1);
                        n++;
                        String expected = (g % 2 == 0 ? "eu-west" : "us-east") + " " + (g % 3 == 0 ? "system" : "1.1.1.1") + " "
                                + (g % 2 == 0 ? "eu-node" : "us-node") + " " + (g % 5 != 0) + " true";
                        String got = rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getBoolean(5) + " " + rs.getBoolean(6);
                        if (!expected.equals(got)) {
                            wrong.add(g + ": " + got + " (expected " + expected + ")");
                        }
                    }
                    assertEquals(60, n, "every result is still there");
                }
                assertTrue(wrong.isEmpty(), String.join("\n", wrong));
                try (ResultSet rs = st.executeQuery("select (select count(*) from result_checker), (select count(*) from result_resolver)")) {
                    rs.next();
                    assertEquals(2, rs.getInt(1), "one key per checker");
                    assertEquals(2, rs.getInt(2), "one key per resolver");
                }
                try (ResultSet rs = st.executeQuery("select column_name from information_schema.columns where table_name = 'check_result'"
                        + " and column_name in ('region', 'resolver', 'checker_id', 'recorded_at')")) {
                    assertFalse(rs.next(), "the text columns are gone from the raw row");
                }
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement st = admin.createStatement()) {
                st.execute("drop database if exists " + name + " with (force)");
            }
        }
    }
}
