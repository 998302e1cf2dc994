package dev.gatewatch.check.store;

/**
 * The rollups' latency histogram, the Java half of {@code gw_hist_add} / {@code gw_hist_quantile} in the schema:
 * bucket i holds totals in (1.25^(i-1), 1.25^i] ms, bucket 0 everything up to 1 ms, the last bucket everything above.
 */
public final class LatencyHistogram {

    public static final int BUCKETS = 60;
    private static final double RATIO = 1.25;
    private static final double LOG_RATIO = Math.log(RATIO);

    private LatencyHistogram() {
    }

    public static int bucket(int ms) {
        if (ms <= 1) {
            return 0;
        }
        int i = (int) Math.ceil(Math.log(ms) / LOG_RATIO - 1e-9);
        return Math.min(BUCKETS - 1, i);
    }

    /** The q-quantile read at its bucket's geometric middle, never above the exact maximum; null if empty. */
    public static Integer quantile(int[] histogram, double q, Integer maxMs) {
        long total = 0;
        for (int n : histogram) {
            total += n;
        }
        if (total == 0) {
            return null;
        }
        long cumulative = 0;
        for (int i = 0; i < histogram.length; i++) {
            cumulative += histogram[i];
            if (cumulative >= q * total) {
                int value = (int) Math.round(Math.pow(RATIO, i - 0.5));
                return maxMs == null ? value : Math.min(value, maxMs);
            }
        }
        return maxMs;
    }

    /**
     * As a PostgreSQL array literal without its trailing empty buckets (at least one counter): fast checks fill the
     * first few, and an hour or day row is rewritten at every flush, so the 60 counters were most of its bytes. Every
     * reader takes a shorter array as zeros beyond its end ({@code gw_hist_add} pads, {@code gw_hist_quantile} and
     * {@link RollupBuffer} count what is there).
     */
    public static String literal(int[] histogram) {
        int end = histogram.length;
        while (end > 1 && histogram[end - 1] == 0) {
            end--;
        }
        StringBuilder out = new StringBuilder(end * 3).append('{');
        for (int i = 0; i < end; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(histogram[i]);
        }
        return out.append('}').toString();
    }
}
