package dev.gatewatch.config;

import dev.gatewatch.support.JavaProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One live owner per data directory, with real processes: a second owner is refused and the first keeps serving; once
 * the first is killed with SIGKILL (its server left running), the next start takes that server over. And a stopping
 * application still has its database: the server stops after it.
 */
class EmbeddedPostgresOwnershipTest {

    private Path root;
    private JavaProcess first;

    @AfterEach
    void cleanUp() throws Exception {
        if (first != null) {
            first.kill();
        }
        if (root != null) {
            if (Files.exists(root.resolve("pg/postmaster.pid"))) { // a failed run left a server: take it over and stop it
                EmbeddedPostgres.start(settings()).close();
            }
            EmbeddedPostgres.deleteTree(root);
        }
    }

    private EmbeddedPostgres.Settings settings() {
        return new EmbeddedPostgres.Settings(root.resolve("pg"), 0, false, "owned");
    }

    @Test
    void aSecondOwnerIsRefusedAndAKilledOwnersServerIsTakenOver() throws Exception {
        root = Files.createTempDirectory("gatewatch-ownership-test", EmbeddedPostgresTest.ENTERABLE);
        Path data = root.resolve("pg");
        first = JavaProcess.start(EmbeddedPostgresOwner.class, data.toString());
        String url = first.awaitLine("ready ").substring("ready ".length());
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute("create table t (v text)");
            c.createStatement().execute("insert into t values ('before')");
        }

        JavaProcess second = JavaProcess.start(EmbeddedPostgresOwner.class, data.toString());
        String refusal = second.awaitLine("refused ");
        assertEquals(3, second.awaitExit(), second.output());
        assertTrue(refusal.contains(data.toAbsolutePath() + " belongs to a running Gatewatch (pid " + first.pid() + ", started"), refusal);
        assertTrue(refusal.contains("Not starting a second server on it, and not stopping that one"), refusal);

        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute("insert into t values ('after the refusal')");
            assertEquals(2, count(c, "t"));
        }

        first.kill(); // the server stays up
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            assertTrue(c.isValid(5), "a killed owner leaves its server running");
        }

        try (EmbeddedPostgres next = EmbeddedPostgres.start(settings());
             Connection c = DriverManager.getConnection(next.jdbcUrl(), next.username(), "")) {
            assertEquals(2, count(c, "t"));
            if (!next.jdbcUrl().equals(url)) {
                assertFalse(answers(url), "the leftover server was stopped");
            }
        }
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "closing stops the server");
    }

    @Test
    void onSigtermTheServerStopsOnlyAfterTheApplicationHasStopped() throws Exception {
        root = Files.createTempDirectory("gatewatch-ownership-test", EmbeddedPostgresTest.ENTERABLE);
        first = JavaProcess.start(SlowToStopApplication.class, root.resolve("pg").toString());
        String url = first.awaitLine("ready ").substring("ready ".length());
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute("create table written_while_stopping (v text)");
        }

        first.terminate();
        int exit = first.awaitExit();
        assertTrue(first.output().contains("stopping: written"), "exit " + exit + ":\n" + first.output());
        assertFalse(Files.exists(root.resolve("pg/postmaster.pid")), "the server was stopped at exit:\n" + first.output());

        try (EmbeddedPostgres again = EmbeddedPostgres.start(settings());
             Connection c = DriverManager.getConnection(again.jdbcUrl(), again.username(), "")) {
            assertEquals(1, count(c, "written_while_stopping"));
        }
    }

    private static int count(Connection c, String table) throws SQLException {
        var rs = c.createStatement().executeQuery("select count(*) from " + table);
        rs.next();
        return rs.getInt(1);
    }

    private static boolean answers(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException refused) {
            return false;
        }
    }
}
