package dev.gatewatch.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The checker benchmark's -Dbench.* options; see {@link CheckerBenchmark} for what each means. */
record BenchOptions(int monitors, int resolvers, int interval, int warmup, int seconds, String heap, boolean analyzer,
        Map<String, String> env, Path report, boolean statements, int dnsThreads, Ceiling ceiling) {

    /** Ceiling mode: offered load from {@code from} checks/s up by {@code step} (at most {@code to}), each step warmed up and measured. */
    record Ceiling(int from, int step, int to, int warmup, int seconds) {
    }

    /**
     * A measured window of whole intervals (at least {@code seconds}): every monitor then has exactly as many slots in it
     * whatever its phase, so stored/offered compares like with like.
     */
    int wholeIntervals(int seconds) {
        return Math.max(1, (seconds + interval - 1) / interval) * interval;
    }

    static BenchOptions fromSystemProperties() {
        int interval = Integer.getInteger("bench.interval", 30);
        int resolvers = Integer.getInteger("bench.resolvers", 3);
        if (resolvers < 1 || resolvers > 3) {
            throw new IllegalArgumentException("bench.resolvers must be 1, 2 or 3, not " + resolvers);
        }
        String report = System.getProperty("bench.report", "");
        Ceiling ceiling = !Boolean.getBoolean("bench.ceiling") ? null : new Ceiling(Integer.getInteger("bench.ceiling.from", 1000),
                Integer.getInteger("bench.ceiling.step", 500), Integer.getInteger("bench.ceiling.to", 20_000),
                // new monitors reach their steady slots half an interval after their first check, plus the spread of adding them
                Integer.getInteger("bench.ceiling.warmup", Math.max(20, interval / 2 + Run.ADD_SPREAD_SECONDS + 5)),
                Integer.getInteger("bench.ceiling.seconds", 30));
        return new BenchOptions(Integer.getInteger("bench.monitors", 10_000), resolvers, interval,
                Integer.getInteger("bench.warmup", 45), Integer.getInteger("bench.seconds", 60), System.getProperty("bench.heap", "256m"),
                Boolean.getBoolean("bench.analyzer"), env(System.getProperty("bench.env", "")), report.isBlank() ? null : Path.of(report),
                Boolean.parseBoolean(System.getProperty("bench.statements", "true")), Integer.getInteger("bench.dns.threads", 2), ceiling);
    }

    /** KEY=VALUE,KEY=VALUE (a value may not hold a comma). */
    static Map<String, String> env(String spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bench.env: expected KEY=VALUE, got " + pair);
            }
            env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return env;
    }
}
