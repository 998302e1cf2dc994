package dev.gatewatch.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The checker under load, as it runs in production: the packaged jar started as its own process with only the
 * checker role (and with {@code -Dbench.analyzer=true} an analyzer process), against an embedded PostgreSQL, checking N
 * monitors × 1-3 resolvers (loopback DNS responders, each sending the name to its own 127.0.0.x, where a Vert.x target
 * answers) with fresh connections and real persistence.
 * <p>
 * Honest figures: the rate is what was <em>stored</em> in the window (by result id) against what the
 * monitors ask for (monitors × resolvers / interval), over a window rounded up to whole intervals so that every monitor
 * has the same number of slots in it; lag is started_at − due_at of the stored checks; CPU is counted
 * for every process that does Gatewatch's work (checker, analyzer, every PostgreSQL process, exited backends included)
 * and for the harness, against the machine's idle share; failures, database growth per check, pg_stat_statements,
 * server.log errors (deadlocks), the harness's own health (DNS drops) and the results the checker did not write when
 * stopped complete the report. See docs/benchmarks.md for what each line means.
 * <p>
 * Run with {@code ./mvnw -Pbench verify}. Options (defaults): {@code -Dbench.monitors=10000 -Dbench.resolvers=3
 * -Dbench.interval=30 -Dbench.warmup=45 -Dbench.seconds=60 -Dbench.heap=256m -Dbench.analyzer=false
 * -Dbench.env=KEY=VALUE,...} (extra environment for the checker and analyzer, e.g. GATEWATCH_CHECKER_WRITER_BATCH_SIZE=500)
 * {@code -Dbench.report=path} (also write the report there) {@code -Dbench.statements=true} (pg_stat_statements)
 * {@code -Dbench.dns.threads=2} (threads per DNS responder). The harness runs in a JVM of its own, not in Maven's (whose
 * JIT and heap would be counted as harness CPU), with {@code -Dbench.harness.heap=512m}, unless {@code -Dbench.fork=false}.
 * <p>
 * Ceiling mode, {@code -Dbench.ceiling=true}: the offered load rises in steps by adding monitors to the running system
 * ({@code -Dbench.ceiling.from=1000 -Dbench.ceiling.step=500 -Dbench.ceiling.to=20000} checks/s, each step
 * {@code -Dbench.ceiling.warmup} (max(20, interval / 2 + 10)) s then {@code -Dbench.ceiling.seconds=30} s measured); a
 * step is kept when stored checks/s ≥ 97 % of offered and lag p99 < 500 ms; the run stops at the first step not kept.
 */
public final class CheckerBenchmark {

    private CheckerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (HarnessJvm.forkIfInsideMaven(CheckerBenchmark.class)) {
            return;
        }
        if (HarnessJvm.forked()) {
            HarnessJvm.exitWhenDone(CheckerBenchmark::bench);
        }
        bench();
    }

    static void bench() throws Exception {
        BenchOptions o = BenchOptions.fromSystemProperties();
        Report report;
        try (Run run = new Run(o, PackagedApp.jar("bench"))) {
            run.start();
            report = o.ceiling() == null ? steady(run, o) : ceiling(run, o);
        }
        report.emit(o.report());
    }

    static Report steady(Run run, BenchOptions o) throws Exception {
        DatabaseFigures db = run.database();
        run.addMonitors(o.monitors());
        System.out.printf("seeded %d monitors × %d resolvers, interval %d s; warming up %d s%n", o.monitors(), o.resolvers(), o.interval(),
                o.warmup());
        Instant warmupStart = Instant.now();
        run.hold(Duration.ofSeconds(o.warmup()));
        // the hour and day rollup rows are inserted by a fresh database's first flush and rewritten in place after it:
        // a window that held that first insert would count it as growth every run
        Duration waited = db.awaitRollupFlush(warmupStart, Duration.ofSeconds(120));
        if (!waited.isZero()) {
            System.out.printf("waited %d s more for the first rollup flush%n", waited.toSeconds());
        }
        db.resetStatements();
        var relations0 = db.relationBytes();
        long size0 = db.databaseBytes();
        Run.Sample s0 = run.sample();
        List<double[]> backlog = new ArrayList<>();
        for (long end = System.nanoTime() + o.wholeIntervals(o.seconds()) * 1_000_000_000L; System.nanoTime() < end; ) {
            run.hold(Duration.ofSeconds(1));
            if (run.withAnalyzer()) {
                backlog.add(db.analyzerBacklog());
            }
        }
        Run.Sample s1 = run.sample();
        long size1 = db.databaseBytes();
        var relations1 = db.relationBytes();
        var statements = db.topStatements(10);
        var incidents = db.incidents(s0, s1);
        var phases = db.phases();
        long checkerPeak = ProcessCpu.statusKb(run.checkerPid(), "VmHWM");
        long analyzerPeak = ProcessCpu.statusKb(run.analyzerPid(), "VmHWM");
        Run.Shutdown shutdown = run.stopChecker();
        // after the stop: a batch that drew its ids in the window is counted once it committed
        Measurement m = new Measurement(s0, s1, db.stored(s0, s1), run.workload().offered());
        long checks = m.stored().checks();

        Report r = new Report().title("Gatewatch checker benchmark");
        setup(r, run, o).line("window", "%.1f s measured after %d s warmup", m.seconds(), o.warmup())
                .line("checks/s kept / offered", "%.1f / %.1f (%.1f %%)", m.keptPerSecond(), m.offered(), 100 * m.keptPerSecond() / m.offered())
                .line("checks stored", "%d in the window (%d failed); started in the window and stored %.1f/s; performed %.1f/s"
                        + " (target requests)", checks, m.stored().failed(), m.startedPerSecond(), m.servedPerSecond())
                .line("start lag p50 / p99 / max", "%.0f / %.0f / %.0f ms (started_at − due_at of the stored checks)", m.stored().lagP50(),
                        m.stored().lagP99(), m.stored().lagMax())
                .line("check total p50", "%.0f ms", m.stored().totalP50())
                .cpu(m, run.withAnalyzer())
                .line("RSS peak (VmHWM)", "checker %d MiB%s", checkerPeak / 1024,
                        run.withAnalyzer() ? ", analyzer " + analyzerPeak / 1024 + " MiB" : "")
                .failures(db.failures(s0, s1, 15))
                .incidents(incidents, phases)
                .growth(size1 - size0, checks, DatabaseFigures.grewMost(relations0, relations1, 8))
                .statements(db.statementsEnabled(), statements)
                .harness(s0, s1, "in the window")
                .serverLog(DatabaseFigures.serverLog(run.postgres().serverLog()))
                .shutdown(shutdown);
        if (!backlog.isEmpty()) {
            analyzerBacklog(r, backlog);
        }
        return r;
    }

    static Report ceiling(Run run, BenchOptions o) throws Exception {
        BenchOptions.Ceiling c = o.ceiling();
        if (c.warmup() < o.interval() / 2 + Run.ADD_SPREAD_SECONDS + 4) {
            System.out.printf("note: a warmup under %d s measures new monitors before they reach their steady slots%n",
                    o.interval() / 2 + Run.ADD_SPREAD_SECONDS + 4);
        }
        List<Measurement> steps = new ArrayList<>();
        Measurement lastKept = null;
        Run.Sample first = null;
        Run.Sample last = null;
        for (int rate = c.from(); rate <= c.to(); rate += c.step()) {
            int monitors = (int) Math.ceil((double) rate * o.interval() / o.resolvers());
            run.addMonitors(monitors - run.workload().monitors());
            System.out.printf("step: %d monitors × %d resolvers every %d s = %.0f checks/s offered; warming up %d s, measuring %d s%n",
                    monitors, o.resolvers(), o.interval(), run.workload().offered(), c.warmup(), o.wholeIntervals(c.seconds()));
            run.hold(Duration.ofSeconds(Math.max(0, c.warmup() - Run.ADD_SPREAD_SECONDS)));
            Run.Sample s0 = run.sample();
            run.hold(Duration.ofSeconds(o.wholeIntervals(c.seconds())));
            Run.Sample s1 = run.sample();
            first = first == null ? s0 : first;
            last = s1;
            Measurement m = new Measurement(s0, s1, run.database().stored(s0, s1), run.workload().offered());
            steps.add(m);
            System.out.printf("  kept %.1f checks/s, lag p99 %.0f ms: %s%n", m.keptPerSecond(), m.stored().lagP99(), m.kept() ? "kept" : "not kept");
            if (!m.kept()) {
                break;
            }
            lastKept = m;
        }
        Run.Shutdown shutdown = run.stopChecker();
        Report r = new Report().title("Gatewatch checker benchmark: ceiling");
        setup(r, run, o).line("steps", "from %d checks/s by %d (at most %d), each %d s warmup + %d s measured", c.from(), c.step(), c.to(),
                c.warmup(), o.wholeIntervals(c.seconds()));
        r.line("ceiling", lastKept == null ? "no step kept (first step %.0f checks/s offered)" : "%.0f checks/s offered, %.1f stored",
                lastKept == null ? steps.get(0).offered() : lastKept.offered(), lastKept == null ? 0 : lastKept.keptPerSecond());
        r.line("per step", "checks/s offered, kept (stored), started, performed (target requests); lag p99; CPU s/1000 checks checker / PostgreSQL / total;"
                + " harness %% of a core; machine idle");
        for (Measurement m : steps) {
            r.sub("%8.0f %8.1f %8.1f %8.1f %6.0f ms  %-8s  %.3f / %.3f / %.3f  harness %4.1f %%  idle %4.1f %%", m.offered(), m.keptPerSecond(),
                    m.startedPerSecond(), m.servedPerSecond(), m.stored().lagP99(), m.kept() ? "kept" : "NOT KEPT", m.per1000(m.checker()), m.per1000(m.postgres()),
                    m.per1000(m.gatewatch()), m.percentOfCore(m.harness()), 100 * m.machine().idleShare());
        }
        return r.harness(first, last, "from the first step's window to the last one's end").serverLog(DatabaseFigures.serverLog(run.postgres().serverLog())).shutdown(shutdown);
    }

    private static Report setup(Report r, Run run, BenchOptions o) {
        return r.line("setup", "%d monitors × %d resolvers every %d s, -Xmx%s, analyzer %s, PostgreSQL %s, %d cores",
                        run.workload().monitors(), o.resolvers(), o.interval(), o.heap(), run.withAnalyzer() ? "yes" : "no",
                        run.postgres().version(), Runtime.getRuntime().availableProcessors())
                .kv("extra environment", o.env().isEmpty() ? Map.of() : o.env());
    }

    private static void analyzerBacklog(Report r, List<double[]> samples) {
        double[] monitors = samples.stream().mapToDouble(s -> s[0]).sorted().toArray();
        double[] ages = samples.stream().mapToDouble(s -> s[1]).sorted().toArray();
        r.line("analyzer backlog", "%d samples, one a second", samples.size())
                .sub("monitors not yet judged     p50 %.0f, max %.0f", quantile(monitors, 0.5), quantile(monitors, 1))
                .sub("oldest unjudged result age  p50 %.1f s, p99 %.1f s, max %.1f s (from the check's end); over 5 s in %d samples",
                        quantile(ages, 0.5), quantile(ages, 0.99), quantile(ages, 1), Arrays.stream(ages).filter(a -> a > 5).count());
    }

    /** Nearest-rank quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }
}
