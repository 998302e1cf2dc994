package dev.gatewatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatewatch.config.EmbeddedPostgres;

/**
 * One benchmark run's processes: the embedded PostgreSQL, the workload, the checker and (optionally) the analyzer,
 * and the harness's connection. {@link #close()} ends all of them, whatever state the run failed in; it is also the
 * JVM's shutdown hook, so an interrupted Maven leaves nothing behind.
 */
final class Run implements AutoCloseable {

    /** New monitors are inserted over this many seconds, one chunk a second, so that their first checks do not all land at once. */
    static final int ADD_SPREAD_SECONDS = 5;
    private static final Pattern WRITER_CLOSED = Pattern.compile("result writer closed: ((?:\\w+=\\d+[ ,]*)+)"); // key=N pairs, also inside a JSON log line

    private final BenchOptions options;
    private final Path jar;
    private final Workload workload;
    private final Thread hook = new Thread(this::close, "benchmark cleanup");
    private volatile EmbeddedPostgres pg;
    private volatile Process checker;
    private volatile Process analyzer;
    private Path checkerLog;
    private Connection connection;
    private DatabaseFigures database;

    /** CPU ticks (of the processes, the server and the machine) and harness counters at one instant. */
    /** @param resultMark the result id sequence's position: rows with ids past it were stored after this sample */
    record Sample(Instant at, long resultMark, long checker, long analyzer, long postgres, long harness, Map<String, Long> harnessThreads,
            ProcessCpu.Machine machine, List<HarnessHealth.Responder> dns, List<Long> served) {
    }

    /** How the checker stopped: seconds from SIGTERM to exit, its exit code, and its result writer's closing line (null: none). */
    record Shutdown(double seconds, int exitCode, String writerClosed) {
    }

    Run(BenchOptions options, Path jar) {
        this.options = options;
        this.jar = jar;
        this.workload = new Workload(options.interval());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** PostgreSQL, the workload, the checker (registered), the analyzer; no monitors yet. */
    void start() throws Exception {
        pg = PackagedApp.database();
        try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "")) {
            DatabaseFigures.createHarnessRole(admin);
            if (options.statements()) {
                DatabaseFigures.preloadStatements(admin);
            }
        }
        if (options.statements()) {
            pg.restart(); // shared_preload_libraries takes effect only at server start
        }
        connection = DriverManager.getConnection(pg.jdbcUrl(), DatabaseFigures.HARNESS_ROLE, "");
        database = new DatabaseFigures(connection);
        workload.start(options.resolvers(), options.dnsThreads());
        checkerLog = Files.createTempFile("gatewatch-bench-checker", ".log");
        checker = PackagedApp.start(jar, options.heap(), pg, "checker", 0, checkerLog, options.env());
        System.out.printf("checker pid %d, log %s; PostgreSQL pid %d, log %s%n", checker.pid(), checkerLog, pg.postmasterPid(), pg.serverLog());
        awaitNode();
        if (options.statements() && !database.enableStatements()) {
            System.out.println("pg_stat_statements is not preloaded: its figures are skipped");
        }
        if (options.analyzer()) {
            Path analyzerLog = Files.createTempFile("gatewatch-bench-analyzer", ".log");
            analyzer = PackagedApp.start(jar, options.heap(), pg, "analyzer", 0, analyzerLog, options.env());
            System.out.printf("analyzer pid %d, log %s%n", analyzer.pid(), analyzerLog);
        }
        Workload.createOwner(connection);
    }

    Workload workload() {
        return workload;
    }

    DatabaseFigures database() {
        return database;
    }

    EmbeddedPostgres postgres() {
        return pg;
    }

    boolean withAnalyzer() {
        return analyzer != null;
    }

    long checkerPid() {
        return checker.pid();
    }

    long analyzerPid() {
        return analyzer == null ? -1 : analyzer.pid();
    }

    /** Adds {@code count} monitors, in chunks over {@link #ADD_SPREAD_SECONDS}; returns when the last chunk is in. */
    void addMonitors(int count) throws SQLException, InterruptedException {
        for (int i = 0; i < ADD_SPREAD_SECONDS; i++) {
            workload.addMonitors(connection, count * (i + 1) / ADD_SPREAD_SECONDS - count * i / ADD_SPREAD_SECONDS);
            if (i < ADD_SPREAD_SECONDS - 1) {
                Thread.sleep(1000);
            }
        }
    }

    /** Sleeps, failing fast when a process of the run has died. */
    void hold(Duration d) throws InterruptedException {
        for (long end = System.nanoTime() + d.toNanos(); System.nanoTime() < end; ) {
            alive();
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    Sample sample() throws IOException, SQLException {
        alive();
        return new Sample(Instant.now(), database.resultMark(), ProcessCpu.ticks(checker.pid()), ProcessCpu.ticks(analyzerPid()),
                ProcessCpu.postgresTicks(pg.postmasterPid()), ProcessCpu.ticks(ProcessHandle.current().pid()),
                ProcessCpu.threadTicks(ProcessHandle.current().pid()), ProcessCpu.machine(),
                HarnessHealth.responders(workload.responders()), workload.served());
    }

    /** SIGTERM to the checker, waits for it, then reads its result writer's closing line from its log; then stops the analyzer. */
    Shutdown stopChecker() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = checker;
        PackagedApp.stop(p);
        double seconds = (System.nanoTime() - t0) / 1e9;
        PackagedApp.stop(analyzer);
        String closed = null;
        for (String line : Files.readAllLines(checkerLog)) {
            Matcher m = WRITER_CLOSED.matcher(line);
            if (m.find()) {
                closed = m.group(1).trim();
            }
        }
        return new Shutdown(seconds, p.exitValue(), closed);
    }

    /** Every step on its own, so that one failing (even with an Error) cannot leave a process or the server running. */
    @Override
    public void close() {
        quietly(() -> PackagedApp.stop(checker));
        quietly(() -> PackagedApp.stop(analyzer));
        quietly(() -> {
            if (connection != null) {
                connection.close();
            }
        });
        quietly(workload::close);
        if (pg != null) {
            quietly(this::keepServerLog);
            quietly(pg::close);
        }
        quietly(() -> Runtime.getRuntime().removeShutdownHook(hook));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException shuttingDown) {
            // removeShutdownHook from within the hook
        } catch (Throwable t) {
            System.out.println("cleanup: " + t);
        }
    }

    /** The temporary data directory goes with the server: its log is kept beside the checker's. */
    private void keepServerLog() {
        try {
            if (checkerLog != null && Files.exists(pg.serverLog())) {
                Path kept = checkerLog.resolveSibling(checkerLog.getFileName().toString().replace("checker", "postgres"));
                Files.copy(pg.serverLog(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("PostgreSQL server.log kept as " + kept);
            }
        } catch (IOException e) {
            System.out.println("could not keep the PostgreSQL server.log: " + e.getMessage());
        }
    }

    private void alive() {
        if (!checker.isAlive()) {
            throw new IllegalStateException("the checker exited with " + checker.exitValue() + "; see " + checkerLog);
        }
        if (analyzer != null && !analyzer.isAlive()) {
            throw new IllegalStateException("the analyzer exited with " + analyzer.exitValue());
        }
    }

    private void awaitNode() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            alive();
            // to_regclass first: no ERROR lines in the server log while the checker is still migrating
            try (Statement st = connection.createStatement();
                 ResultSet migrated = st.executeQuery("select to_regclass('checker_node') is not null")) {
                migrated.next();
                if (migrated.getBoolean(1)) {
                    try (ResultSet nodes = st.executeQuery("select count(*) from checker_node")) {
                        if (nodes.next() && nodes.getInt(1) > 0) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the checker did not register within 90 s");
    }
}
