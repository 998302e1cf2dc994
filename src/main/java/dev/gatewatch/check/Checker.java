package dev.gatewatch.check;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.check.schedule.CheckerEngine;
import dev.gatewatch.check.schedule.NodeRegistry;
import dev.gatewatch.check.schedule.ScheduleStore;
import dev.gatewatch.check.store.ResultPartitions;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.target.TargetGuard;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;

/**
 * The checker role of this instance: keeps result partitions ahead, and with {@code gatewatch.roles} containing
 * {@code checker} runs one {@link CheckerEngine} for {@code gatewatch.checker.region}.
 */
@ApplicationScoped
public class Checker {

    private static final Logger LOG = Logger.getLogger(Checker.class);
    /**
     * Hour and day rollups are rewritten in place at every rollup flush: room on each page for a second version of
     * every row keeps those updates HOT (V19 set it on the partitions already there).
     */
    private static final int ROLLUP_FILLFACTOR = 45;

    private final GatewatchConfig config;
    private final AgroalDataSource dataSource;
    private final Vertx vertx;
    private final TargetGuard guard;
    private final MeterRegistry metrics;
    private final ResultPartitions partitions;
    private final FaultLog maintenanceFaults;
    private Probe probe;
    private ResultWriter writer;
    private CheckerEngine engine;

    public Checker(GatewatchConfig config, AgroalDataSource dataSource, Vertx vertx, TargetGuard guard, MeterRegistry metrics) {
        this.config = config;
        this.dataSource = dataSource;
        this.vertx = vertx;
        this.guard = guard;
        this.metrics = metrics;
        this.maintenanceFaults = new FaultLog(LOG, "partition maintenance").counted(metrics, "partition_maintenance");
        var results = config.results();
        this.partitions = new ResultPartitions(dataSource, List.of(
                new ResultPartitions.Table("check_result", false, results.retention()),
                new ResultPartitions.Table("check_rollup_minute", false, results.minuteRollupRetention()),
                new ResultPartitions.Table("check_rollup_hour", true, results.hourRollupRetention(), ROLLUP_FILLFACTOR),
                new ResultPartitions.Table("monitor_rollup_hour", true, results.hourRollupRetention(), ROLLUP_FILLFACTOR),
                new ResultPartitions.Table("monitor_rollup_day", true, results.hourRollupRetention(), ROLLUP_FILLFACTOR)),
                results.partitionsAhead());
    }

    void start(@Observes StartupEvent event) {
        maintainPartitions();
        if (!config.roles().contains(GatewatchConfig.Role.checker)) {
            return;
        }
        var c = config.checker();
        probe = new Probe(vertx, new Probe.Settings(c.bodyLimit(), c.errorBodyLimit(), c.userAgent(),
                c.extraTrust().orElse(List.of()).stream().map(Path::of).toList(), c.systemResolverThreads(), c.assertionThreads(),
                c.assertionBudget()), guard);
        var ws = c.writer();
        writer = new ResultWriter(dataSource, new ResultWriter.Settings(ws.batchSize(), ws.flushInterval(), ws.bufferLimit(), ws.lanes(),
                ws.rollupInterval(), ws.synchronousCommit()), this::maintainPartitions);
        Timer lag = Timer.builder("gatewatch.check.start.lag").description("How late checks start after their due time")
                .publishPercentiles(0.5, 0.99).tag("region", c.region()).register(metrics);
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        String nodeId = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        CheckCounts counts = new CheckCounts(metrics, c.region());
        engine = new CheckerEngine(new CheckerEngine.Settings(nodeId, c.region(), host, version(), c.concurrency(),
                c.pollInterval(), c.lookahead(), c.claimBatch(), c.lease(), c.heartbeatInterval(), c.ownerShare()),
                new ScheduleStore(dataSource), new NodeRegistry(dataSource), probe, writer, vertx,
                ms -> lag.record(ms, TimeUnit.MILLISECONDS), counts::count);
        Gauge.builder("gatewatch.check.in.flight", engine, CheckerEngine::inFlight).tag("region", c.region())
                .description("Slots this checker holds now: claimed and waiting to start, or being checked").register(metrics);
        Gauge.builder("gatewatch.check.results.buffered", writer, ResultWriter::buffered)
                .description("Check results waiting to be stored (grows while the database is away)").register(metrics);
        Gauge.builder("gatewatch.check.writer.lag", writer, w -> w.stalledFor().toMillis() / 1000.0).baseUnit("seconds")
                .description("How long check results have waited without any being stored (0 while writes go through)").register(metrics);
        FunctionCounter.builder("gatewatch.check.results.dropped", writer, ResultWriter::dropped)
                .description("Check results dropped because the buffer was full (database away too long)").register(metrics);
        FunctionCounter.builder("gatewatch.check.results.written", writer, ResultWriter::written)
                .description("Check results stored").register(metrics);
        FunctionCounter.builder("gatewatch.check.results.unstorable", writer, ResultWriter::unstorable)
                .description("Results PostgreSQL refused for their data: stored without their details, or dropped").register(metrics);
        FunctionCounter.builder("gatewatch.check.results.superseded", writer, ResultWriter::superseded)
                .description("Results not stored because another checker had claimed their slot since (written too late)").register(metrics);
        FunctionCounter.builder("gatewatch.check.results.unwritten", writer, ResultWriter::unwritten)
                .description("Check results lost at shutdown: still waiting to be stored when the checker stopped").register(metrics);
        FunctionCounter.builder("gatewatch.check.database.away.checks", engine, CheckerEngine::checksWhileDatabaseAway)
                .description("Checks made while the database was unreachable").register(metrics);
        Gauge.builder("gatewatch.check.database.away", engine, e -> e.databaseAway() ? 1 : 0)
                .description("1 while this checker cannot reach the database and checks the slots it holds").register(metrics);
        engine.start();
        LOG.infof("checker %s started for region %s", nodeId, c.region());
    }

    void stop(@Observes ShutdownEvent event) {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(10));
            writer.close();
            probe.close();
        }
    }

    /** How long results have waited without any being stored (zero when this node runs no checker). */
    public Duration storeStalledFor() {
        return writer == null ? Duration.ZERO : writer.stalledFor();
    }

    /** Results waiting to be stored. */
    public int waiting() {
        return writer == null ? 0 : writer.buffered();
    }

    @Scheduled(every = "${gatewatch.results.maintenance-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void maintainPartitions() {
        try {
            partitions.maintain(Instant.now());
            maintenanceFaults.recovered(null);
        } catch (SQLException e) {
            maintenanceFaults.failed(e.getMessage() + " (retrying at the next run)");
        }
    }

    private static String version() {
        return Optional.ofNullable(Checker.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
