package dev.gatewatch.account.login;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.scheduler.Scheduled;

/** Deletes ended sessions and forgotten login failures; harmless to run on several nodes at once. */
@ApplicationScoped
public class LoginHousekeeping {

    private static final Logger LOG = Logger.getLogger(LoginHousekeeping.class);

    private final SessionService sessions;
    private final ThrottleStore throttle;
    private final GatewatchConfig.Login login;

    public LoginHousekeeping(SessionService sessions, ThrottleStore throttle, GatewatchConfig config) {
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
        } catch (RuntimeException e) {
            // the database may be away; the next run tries again, and nothing reads these rows as valid meanwhile
            LOG.warnf("login housekeeping: %s", e.getMessage());
        }
    }
}
