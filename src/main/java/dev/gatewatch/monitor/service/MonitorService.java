package dev.gatewatch.monitor.service;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Page;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.monitor.Monitor;
import dev.gatewatch.monitor.MonitorRequest;
import dev.gatewatch.monitor.MonitorView;
import dev.gatewatch.monitor.validation.MonitorValidator;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** Registration of monitors. Every operation is scoped to one owner; another owner's monitor is "not found". */
@ApplicationScoped
public class MonitorService {

    public static final int MAX_PAGE_SIZE = 200;

    private final MonitorValidator validator;
    private final GatewatchConfig config;

    public MonitorService(MonitorValidator validator, GatewatchConfig config) {
        this.validator = validator;
        this.config = config;
    }

    @Transactional
    public MonitorView create(long ownerId, MonitorRequest request) {
        MonitorRequest valid = validator.validate(request, channelIds(ownerId));
        int max = config.monitors().maxPerOwner();
        if (Monitor.count("ownerId", ownerId) >= max) {
            throw new InvalidInputException("", "you already have " + max + " monitors, the most one owner may have");
        }
        Monitor m = new Monitor();
        m.ownerId = ownerId;
        m.createdAt = Instant.now();
        apply(valid, m);
        m.persist();
        return MonitorView.of(m);
    }

    public Page<MonitorView> list(long ownerId, int page, int size, String query, Boolean paused) {
        if (page < 0) {
            throw new InvalidInputException("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            // the offset page * size would overflow the int Hibernate pages with; no owner has that many monitors
            throw new InvalidInputException("page", "is too large: page × size must be at most " + Integer.MAX_VALUE);
        }
        StringBuilder where = new StringBuilder("ownerId = :owner");
        Parameters params = Parameters.with("owner", ownerId);
        if (query != null && !query.isBlank()) {
            where.append(" and (lower(name) like :q or lower(url) like :q)");
            params.and("q", "%" + query.strip().toLowerCase(java.util.Locale.ROOT).replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (paused != null) {
            where.append(" and paused = :paused");
            params.and("paused", paused);
        }
        var found = Monitor.<Monitor>find(where.toString(), Sort.by("id"), params).page(page, size);
        return new Page<>(found.list().stream().map(MonitorView::of).toList(), page, size, found.count());
    }

    public MonitorView get(long ownerId, long id) {
        return MonitorView.of(owned(ownerId, id));
    }

    @Transactional
    public MonitorView replace(long ownerId, long id, MonitorRequest request) {
        Monitor m = owned(ownerId, id);
        apply(validator.validate(request, channelIds(ownerId)), m);
        return MonitorView.of(m);
    }

    @Transactional
    public void delete(long ownerId, long id) {
        owned(ownerId, id).delete();
    }

    @Transactional
    public MonitorView setPaused(long ownerId, long id, boolean paused) {
        Monitor m = owned(ownerId, id);
        if (m.paused != paused) {
            m.paused = paused;
            m.updatedAt = Instant.now();
        }
        return MonitorView.of(m);
    }

    private static Monitor owned(long ownerId, long id) {
        return Monitor.<Monitor>find("id = ?1 and ownerId = ?2", id, ownerId).firstResultOptional()
                .orElseThrow(() -> new NotFoundProblem("monitor " + id));
    }

    /** The owner's alert channels (the alerting feature's table): a monitor may only name those. */
    @SuppressWarnings("unchecked")
    private static Set<Long> channelIds(long ownerId) {
        List<Number> ids = Monitor.getEntityManager().createNativeQuery("select id from alert_channel where owner_id = ?1")
                .setParameter(1, ownerId).getResultList();
        return ids.stream().map(Number::longValue).collect(java.util.stream.Collectors.toSet());
    }

    private static void apply(MonitorRequest r, Monitor m) {
        m.name = r.name();
        m.url = r.url();
        m.method = r.method();
        m.requestHeaders = r.headers();
        m.requestBody = r.body();
        m.expectedStatus = r.expectedStatus();
        m.bodyAssertions = r.bodyAssertions();
        m.jsonAssertions = r.jsonAssertions();
        m.maxResponseTimeMs = r.maxResponseTimeMs();
        m.minTlsValidityDays = r.minTlsValidityDays();
        m.intervalSeconds = r.intervalSeconds();
        m.timeoutMs = r.timeoutMs();
        m.followRedirects = r.followRedirects();
        m.maxRedirects = r.maxRedirects();
        m.regions = r.regions();
        m.resolvers = r.resolvers();
        m.confirmationWindowSeconds = r.alertPolicy().confirmationWindowSeconds();
        m.successThreshold = r.alertPolicy().successThreshold();
        m.channelIds = r.alertPolicy().channels();
        m.reminderMinutes = r.alertPolicy().reminderMinutes();
        m.quickConfirmation = r.alertPolicy().quickConfirmation();
        m.updatedAt = Instant.now();
    }
}
