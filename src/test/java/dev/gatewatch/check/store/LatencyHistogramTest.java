package dev.gatewatch.check.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stored form of a histogram: what is left out must read back as zeros. */
class LatencyHistogramTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''          | {0}",
            "0:3         | {3}",
            "0:3,1:1     | {3,1}",
            "2:5         | {0,0,5}",
            "0:1,59:2    | {1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2}",
    })
    void trailingEmptyBucketsAreLeftOut(String counts, String literal) {
        int[] h = new int[LatencyHistogram.BUCKETS];
        for (String c : counts.isEmpty() ? new String[0] : counts.split(",")) {
            String[] kv = c.split(":");
            h[Integer.parseInt(kv[0])] = Integer.parseInt(kv[1]);
        }
        assertEquals(literal, LatencyHistogram.literal(h));
    }
}
