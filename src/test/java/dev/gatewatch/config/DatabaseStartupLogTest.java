package dev.gatewatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The database line at start names the server, never a password given in the URL. */
class DatabaseStartupLogTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/gatewatch                                  | jdbc:postgresql://db:5432/gatewatch",
            "jdbc:postgresql://db:5432/gatewatch?user=gw&password=s3cret-Pa55     | jdbc:postgresql://db:5432/gatewatch",
            "jdbc:postgresql://gw:s3cret-Pa55@db/gatewatch?sslmode=require         | jdbc:postgresql://db/gatewatch",
    })
    void credentialsAreLeftOut(String url, String shown) {
        assertEquals(shown, DatabaseStartupLog.withoutCredentials(url));
    }
}
