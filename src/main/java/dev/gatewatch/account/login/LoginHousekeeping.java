package dev.gatewatch.account.login;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.config.GatewatchConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/** Deletes ended sessions and forgotten login failures; harmless to run on several nodes at once. */
@ApplicationScoped
public class LoginHousekeeping {

    private static final Logger LOG = Logger.getLogger(LoginHousekeeping.class);

    private final SessionService sessions;
    private final ThrottleStore throttle;
    private final GatewatchConfig.Login login;
    private final FaultLog faults;

    public LoginHousekeeping(SessionService sessions, ThrottleStore throttle, GatewatchConfig config, MeterRegistry metrics) {
        this.faults = new FaultLog(LOG, "login housekeeping").counted(metrics, "login_housekeeping");
        this.sessions = sessions;
        this.throttle = throttle;
        this.login = config.web().login();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            Instant now = Instant.now();
            int ended = sessions.purge(now);
            int forgotten = throttle.purge(now.minus(login.forgetAfter()), now);
            if (ended + forgotten > 0) {
                LOG.debugf("deleted %d ended sessions and %d forgotten login throttles", ended, forgotten);
            }
            faults.recovered(null);
        } catch (RuntimeException e) {
            // the database may be away; the next run tries again, and nothing reads these rows as valid meanwhile
            faults.failed(e.getMessage());
        }
    }
}
