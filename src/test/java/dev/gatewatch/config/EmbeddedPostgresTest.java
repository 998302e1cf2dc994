package dev.gatewatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

/** Data written to the embedded server survives a stop and a start on the same directory. */
class EmbeddedPostgresTest {

    /** When tests run as root the server runs as nobody, which must be able to enter the directory. */
    private static final java.nio.file.attribute.FileAttribute<?> ENTERABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dir = Files.createTempDirectory("gatewatch-embedded-test", ENTERABLE).resolve("pg");
        var settings = new EmbeddedPostgres.Settings(dir, 0, false, "persist");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(settings);
             var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "")) {
            c.createStatement().execute("create table t (v text)");
            c.createStatement().execute("insert into t values ('kept')");
            assertTrue(pg.version().startsWith("17"), pg.version());
        }
        assertTrue(Files.exists(dir.resolve("PG_VERSION")));
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(settings);
             var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "");
             var rs = c.createStatement().executeQuery("select v from t")) {
            assertTrue(rs.next());
            assertEquals("kept", rs.getString(1));
        }
    }

    @Test
    void aServerLeftRunningByAKilledProcessIsTakenOver() throws Exception {
        Path dir = Files.createTempDirectory("gatewatch-embedded-test", ENTERABLE).resolve("pg");
        var settings = new EmbeddedPostgres.Settings(dir, 0, false, "leftover");
        EmbeddedPostgres first = EmbeddedPostgres.start(settings); // never closed, as if the JVM had been killed
        try (EmbeddedPostgres second = EmbeddedPostgres.start(settings);
             var c = DriverManager.getConnection(second.jdbcUrl(), second.username(), "")) {
            assertTrue(c.isValid(2));
            assertTrue(first.port() != second.port() || first.port() == second.port());
        }
    }
}
