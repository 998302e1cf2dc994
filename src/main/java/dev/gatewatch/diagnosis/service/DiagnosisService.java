package dev.gatewatch.diagnosis.service;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.NulText;
import dev.gatewatch.api.ProblemException;
import dev.gatewatch.api.ProblemMappers;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.diagnosis.ProbeSpec;
import dev.gatewatch.diagnosis.Verdicts;
import dev.gatewatch.diagnosis.service.DiagnosisStore.Limit;
import dev.gatewatch.diagnosis.service.DiagnosisStore.Outcome;
import dev.gatewatch.diagnosis.service.DiagnosisStore.Subject;
import dev.gatewatch.monitor.validation.MonitorValidator;
import dev.gatewatch.monitor.validation.ResolverSpec;

/**
 * Starting diagnoses (an owner's monitor, or any URL when the operator allows it) within their limits, and reading
 * them back with their verdict.
 */
@ApplicationScoped
public class DiagnosisService {

    private static final Logger LOG = Logger.getLogger(DiagnosisService.class);
    /** An anonymous diagnosis counts as slow past this (an owner's uses the monitor's limit when it has one). */
    static final int SLOW_MS = 3000;
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final GatewatchConfig config;
    private final DiagnosisStore store;
    private final MonitorValidator validator;
    private volatile byte[] salt;

    public DiagnosisService(GatewatchConfig config, AgroalDataSource dataSource, MonitorValidator validator) {
        this.config = config;
        this.store = new DiagnosisStore(dataSource);
        this.validator = validator;
    }

    /** A new diagnosis, or for an anonymous request a recent one of the same URL. */
    public record Started(DiagnosisView view, boolean reused) {
    }

    /** Diagnoses one of the owner's monitors now, through the default resolvers and the monitor's own. */
    public Started diagnoseMonitor(long ownerId, long monitorId) {
        var d = config.diagnosis();
        try {
            var target = store.monitor(ownerId, monitorId, (int) d.checkTimeout().toMillis())
                    .orElseThrow(() -> new NotFoundProblem("monitor " + monitorId));
            Set<String> resolvers = new LinkedHashSet<>(defaults());
            target.resolvers().stream().map(r -> ResolverSpec.parse(r).text()).forEach(resolvers::add);
            int slow = target.maxResponseTimeMs() != null ? target.maxResponseTimeMs() : SLOW_MS;
            var created = start(new DiagnosisStore.NewDiagnosis(UUID.randomUUID(), ownerId, monitorId, target.probe().url(),
                    urlKey(target.probe().url()), target.probe(), List.copyOf(resolvers), regions(), null, slow, d.regionDeadline(), d.keep()),
                    null, List.of(new Limit("per owner per minute", Subject.OWNER, String.valueOf(ownerId), d.perOwnerPerMinute(), MINUTE)));
            return new Started(view(created, ownerId), false);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Diagnoses any URL for anyone, when the operator has turned that on. */
    public Started diagnoseUrl(String rawUrl, String clientAddress) {
        var d = config.diagnosis();
        if (!d.anonymous()) {
            throw new NotFoundProblem("diagnosis without an account (not enabled on this installation)");
        }
        String url = anonymousUrl(rawUrl);
        try {
            String client = clientKey(clientAddress);
            List<Limit> limits = new ArrayList<>();
            limits.add(new Limit("per client address per hour", Subject.CLIENT, client, d.perClientPerHour(), HOUR));
            limits.add(new Limit("for the whole installation per minute", Subject.ANONYMOUS, null, d.perMinute(), MINUTE));
            Instant reuseSince = Instant.now().minus(d.reuseWithin());
            UUID id = UUID.randomUUID();
            Outcome outcome = store.create(new DiagnosisStore.NewDiagnosis(id, null, null, url, urlKey(url),
                    ProbeSpec.anonymous(url, (int) d.checkTimeout().toMillis()), defaults(), regions(), client, SLOW_MS,
                    d.regionDeadline(), d.keep()), reuseSince, limits);
            return new Started(view(id(outcome), null), outcome instanceof Outcome.Reused);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A diagnosis as anyone with its link sees it; the owner who asked for it also sees the error bodies. */
    public DiagnosisView view(UUID id, Long viewer) {
        try {
            var stored = store.load(id).orElseThrow(() -> new NotFoundProblem("diagnosis " + id));
            return DiagnosisView.of(stored, verdict(stored), viewer != null && viewer.equals(stored.ownerId()));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The monitor's diagnoses, newest first (404 unless it is the owner's). */
    public List<DiagnosisView> history(long ownerId, long monitorId, int limit) {
        try {
            store.requireOwned(ownerId, monitorId);
            List<DiagnosisView> views = new ArrayList<>();
            for (var s : store.forMonitor(monitorId, Math.max(1, Math.min(limit, 100)))) {
                views.add(DiagnosisView.of(s, verdict(s), true));
            }
            return views;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            int n = store.purge(HOUR);
            if (n > 0) {
                LOG.debugf("removed %d expired diagnoses", n);
            }
        } catch (SQLException e) {
            LOG.warnf("could not remove expired diagnoses (%s); trying again in 10 minutes", e.getMessage());
        }
    }

    private UUID start(DiagnosisStore.NewDiagnosis d, Instant reuseSince, List<Limit> limits) throws SQLException {
        return id(store.create(d, reuseSince, limits));
    }

    private dev.gatewatch.diagnosis.Verdict verdict(DiagnosisStore.Stored s) throws SQLException {
        // the deployment in force when the diagnosis ran, which explains a restart's failures
        var deployment = s.monitorId() == null || s.checks().stream().allMatch(c -> c.ok()) ? null
                : store.deploymentInForce(s.monitorId(), s.createdAt(), config.analyzer().deployLimit()).orElse(null);
        return Verdicts.of(new Verdicts.Observation(s.checks(), s.regions(), s.done(), s.closed(), s.slowMs(), deployment, s.now()));
    }

    /** The live regions, or 503 when no checker runs: there is no one to ask. */
    private List<String> regions() throws SQLException {
        List<String> live = store.liveRegions(config.checker().nodeTimeout());
        if (live.isEmpty()) {
            throw new ProblemException(503, "No checker running", "No checker of any region has reported lately, so there is no one "
                    + "to check from. Start a checker (gatewatch.roles=checker) and try again.", Duration.ofSeconds(30));
        }
        return live;
    }

    private List<String> defaults() {
        return config.diagnosis().resolvers().stream().map(r -> ResolverSpec.parse(r).text()).distinct().toList();
    }

    /** The URL checked like a monitor's, plus only the ports anonymous diagnoses may reach. */
    private String anonymousUrl(String raw) {
        if (NulText.contains(raw)) {
            throw new InvalidInputException("url", NulText.MESSAGE);
        }
        List<FieldError> errors = new ArrayList<>();
        String url = validator.url(raw, errors);
        if (url == null) {
            throw new InvalidInputException(errors);
        }
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        if (!config.diagnosis().anonymousPorts().contains(port)) {
            throw new InvalidInputException("url", "may use only port " + String.join(" or ", config.diagnosis().anonymousPorts().stream()
                    .sorted().map(String::valueOf).toList()) + " without an account");
        }
        return url;
    }

    /** The URL as the same page for reuse: the fragment and a lone trailing slash do not matter. */
    static String urlKey(String url) {
        String key = url.toLowerCase(Locale.ROOT);
        int hash = key.indexOf('#');
        key = hash >= 0 ? key.substring(0, hash) : key;
        return key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    }

    /** A keyed hash of the client's address: rate limits count it without the address being stored. */
    private String clientKey(String address) throws SQLException {
        if (salt == null) {
            salt = store.salt().getBytes(StandardCharsets.UTF_8);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(String.valueOf(address).getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The diagnosis that answers the request; a 429 when a limit refused it. */
    private static UUID id(Outcome outcome) {
        if (outcome instanceof Outcome.Limited l) {
            throw limited(l);
        }
        return outcome instanceof Outcome.Reused r ? r.id() : ((Outcome.Created) outcome).id();
    }

    private static ProblemException limited(Outcome.Limited l) {
        return new ProblemException(429, "Too many diagnoses", "The limit of " + l.limit().max() + " new diagnoses "
                + l.limit().name() + " is reached; try again in " + dev.gatewatch.api.Durations.words(l.retryAfter().withNanos(0)
                .plusSeconds(1)) + ".", l.retryAfter());
    }

    /**
     * A database that is away is a 503 the pages can show with their form; any other SQL error is a bug in a statement
     * and goes through as one (a 500, logged).
     */
    private static RuntimeException failed(SQLException e) {
        if (ProblemMappers.databaseAway(e)) {
            LOG.warnf("diagnosis: the database is unreachable (%s)", e.getMessage());
            return ProblemException.databaseUnavailable();
        }
        return new IllegalStateException("diagnosis: " + e.getMessage(), e);
    }
}
