package dev.gatewatch.account;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * bcrypt on a pool of its own with a bounded queue: each hash costs ~0.3 s of CPU, so a flood of logins or sign-ups
 * could otherwise take every core from the checks and the API. What the queue cannot hold is refused at once with
 * {@link Busy} rather than left to pile up.
 */
@ApplicationScoped
public class PasswordHashing {

    /** The pool and its queue are full: the caller answers "busy, try again". */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("too many logins at once", null, false, false);
        }
    }

    private final int cost;
    /** Compared against when an e-mail is unknown, so both cases cost the same. */
    private final String dummyHash;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ThreadPoolExecutor pool;

    public PasswordHashing(GatewatchConfig config) {
        cost = config.web().login().bcryptCost();
        dummyHash = BcryptUtil.bcryptHash("not-a-real-password", cost);
        int threads = Math.max(1, config.web().login().hashingThreads());
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.web().login().hashingQueue())), r -> {
                    Thread t = new Thread(r, "password-hashing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                });
    }

    /**
     * Whether a hash asked for now would be refused: every thread busy and the queue full. Checked before anything
     * else, so a flood is turned away without even a database round trip (racy, and {@link Busy} still guards).
     */
    public boolean saturated() {
        return pool.getQueue().remainingCapacity() == 0 && pool.getActiveCount() >= pool.getMaximumPoolSize();
    }

        /** The bcrypt hash of {@code password}. */
    public String hash(String password) {
        return run(() -> BcryptUtil.bcryptHash(password, cost));
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such account) costs the same and never matches. */
    public boolean matches(String password, String hash) {
        return run(() -> BcryptUtil.matches(password, hash == null ? dummyHash : hash)) && hash != null;
    }

    private <T> T run(Callable<T> work) {
        Future<T> future;
        try {
            future = pool.submit(work);
        } catch (RejectedExecutionException full) {
            throw new Busy();
        }
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Busy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        } catch (ExecutionException e) {
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
