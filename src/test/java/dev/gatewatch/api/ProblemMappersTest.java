package dev.gatewatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;

import org.junit.jupiter.api.Test;

/** Which database errors are the input's fault: found by SQLSTATE however deep the cause is wrapped. */
class ProblemMappersTest {

    @Test
    void theSqlStateIsFoundThroughWrappers() {
        var wrapped = new PersistenceException("could not execute statement",
                new RuntimeException(new SQLException("value too long", "22001")));
        assertEquals("22001", ProblemMappers.sqlState(wrapped));
        assertNull(ProblemMappers.sqlState(new IllegalStateException("no database here")));
        assertNull(ProblemMappers.sqlState(new RuntimeException(new SQLException("no state"))));
    }

    @Test
    void onlyTheNulStatesAreUnstorableText() {
        assertTrue(ProblemMappers.unstorableText(new RuntimeException(new SQLException("nul", "22021"))));
        assertTrue(ProblemMappers.unstorableText(new RuntimeException(new SQLException("\\u0000 in jsonb", "22P05"))));
        assertFalse(ProblemMappers.unstorableText(new RuntimeException(new SQLException("out of range", "22003"))));
        assertFalse(ProblemMappers.unstorableText(new RuntimeException(new SQLException("connection", "08006"))));
    }

    @Test
    void aDatabaseThatCannotBeReachedIsToldApartFromOtherErrors() {
        assertTrue(ProblemMappers.databaseAway(new RuntimeException(new SQLException("The connection attempt failed.", "08001"))));
        assertTrue(ProblemMappers.databaseAway(new PersistenceException(new SQLException("I/O error", "08006"))));
        assertTrue(ProblemMappers.databaseAway(new org.hibernate.exception.JDBCConnectionException("Unable to acquire JDBC Connection",
                new SQLException("refused"))));
        assertTrue(ProblemMappers.databaseAway(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(ProblemMappers.databaseAway(new RuntimeException(new SQLException("terminating connection due to administrator command",
                "57P01"))));
        assertTrue(ProblemMappers.databaseAway(new RuntimeException(new SQLException("the database system is starting up", "57P03"))));
        assertFalse(ProblemMappers.databaseAway(new RuntimeException(new SQLException("canceling statement due to user request", "57014"))));
        assertFalse(ProblemMappers.databaseAway(new RuntimeException(new SQLException("value too long", "22001"))));
        assertFalse(ProblemMappers.databaseAway(new RuntimeException(new SQLException("deadlock detected", "40P01"))));
        assertFalse(ProblemMappers.databaseAway(new IllegalStateException("a bug")));
    }
}
