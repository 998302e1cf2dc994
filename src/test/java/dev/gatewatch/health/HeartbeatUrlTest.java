package dev.gatewatch.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A dead man's switch URL is its credential: the log shows where it goes, never its path or query. */
class HeartbeatUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://hc-ping.com/5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b        | https://hc-ping.com/…",
            "https://nosnch.in/c2354d53d2?m=up                                | https://nosnch.in/…",
            "http://127.0.0.1:8089/ping/secret-token                          | http://127.0.0.1:8089/…",
            "not a url                                                       | (the configured gatewatch.heartbeat.url)",
    })
    void onlySchemeAndHostAreShown(String url, String shown) {
        assertEquals(shown, DeadMansSwitch.shown(url));
    }
}
