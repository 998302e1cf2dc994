package dev.gatewatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded server keeps its data across a restart, has one owner at a time, and leaves no temporary files behind. */
class EmbeddedPostgresTest {

    /** When tests run as root the server runs as nobody, which must be able to enter the directory. */
    static final FileAttribute<?> ENTERABLE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x"));

    private Path root;

    @AfterEach
    void deleteRoot() throws Exception {
        if (root != null) {
            EmbeddedPostgres.deleteTree(root);
        }
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        root = Files.createTempDirectory("gatewatch-embedded-test", ENTERABLE);
        var settings = new EmbeddedPostgres.Settings(root.resolve("pg"), 0, false, "persist");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(settings);
             var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "")) {
            c.createStatement().execute("create table t (v text)");
            c.createStatement().execute("insert into t values ('kept')");
            assertTrue(pg.version().startsWith("17"), pg.version());
        }
        assertTrue(Files.exists(root.resolve("pg/PG_VERSION")));
        assertFalse(Files.exists(root.resolve("pg/postmaster.pid")), "stopped");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(settings);
             var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "");
             var rs = c.createStatement().executeQuery("select v from t")) {
            assertTrue(rs.next());
            assertEquals("kept", rs.getString(1));
        }
    }

    @Test
    void aSecondStartOnTheSameDirectoryIsRefusedAndTheFirstKeepsServing() throws Exception {
        root = Files.createTempDirectory("gatewatch-embedded-test", ENTERABLE);
        var settings = new EmbeddedPostgres.Settings(root.resolve("pg"), 0, false, "owned");
        try (EmbeddedPostgres first = EmbeddedPostgres.start(settings)) {
            var refused = assertThrows(DataDirectoryLock.InUseException.class, () -> EmbeddedPostgres.start(settings));
            assertTrue(refused.getMessage().contains("belongs to a running Gatewatch (pid " + ProcessHandle.current().pid()),
                    refused.getMessage());
            try (var c = DriverManager.getConnection(first.jdbcUrl(), first.username(), "")) {
                assertTrue(c.isValid(5), "the refused start left the first server alone");
            }
        }
        try (EmbeddedPostgres again = EmbeddedPostgres.start(settings)) {
            assertTrue(again.port() > 0, "a closed owner gave the directory up");
        }
    }

    @Test
    void aTemporaryServerDeletesItsDirectoryWhenClosed() throws Exception {
        Path data;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(new EmbeddedPostgres.Settings(Path.of("unused"), 0, true, "scratch"));
             var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "")) {
            data = pg.dataDirectory();
            assertTrue(c.isValid(5));
            assertTrue(Files.exists(data.resolve("PG_VERSION")));
        }
        assertFalse(Files.exists(data.getParent()), data.getParent() + " is gone");
        assertFalse(Files.exists(Path.of("unused")));
    }
}
