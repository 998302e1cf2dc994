package dev.gatewatch.monitor.target;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.config.GatewatchConfig;

/**
 * Refuses fetch targets inside internal networks (SSRF guard). Registration checks the URL's host and where the
 * system resolver points it; checkers call {@link #refusal(InetAddress)} again on every address they connect to,
 * after their own DNS resolution and on every redirect hop, so DNS rebinding cannot get around it.
 */
@ApplicationScoped
public class TargetGuard {

    private final AddressPolicy policy;
    private final Duration resolveTimeout;
    private final ExecutorService resolver = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "target-guard-resolver");
        t.setDaemon(true);
        return t;
    });

    public TargetGuard(GatewatchConfig config) {
        this.policy = new AddressPolicy(cidrs("gatewatch.targets.allow", config.targets().allow().orElse(List.of())),
                cidrs("gatewatch.targets.deny", config.targets().deny().orElse(List.of())));
        this.resolveTimeout = config.targets().resolveTimeout();
    }

    private static List<Cidr> cidrs(String key, List<String> texts) {
        return texts.stream().filter(t -> !t.isBlank()).map(t -> {
            try {
                return Cidr.parse(t.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(key + ": '" + t + "' is not a CIDR range: " + e.getMessage(), e);
            }
        }).toList();
    }

    /** Why this address may not be fetched, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        return policy.refusal(address);
    }

    /**
     * Why this host (a URL host in any spelling, or a DNS resolver's address) may not be fetched, or empty if it may.
     * A host name that does not resolve now is allowed (its checks will report the DNS failure); one that resolves to
     * any refused address is refused.
     */
    public Optional<String> hostRefusal(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.of("has no host");
        }
        Optional<InetAddress> literal;
        try {
            literal = HostLiteral.parse(host);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (literal.isPresent()) {
            return policy.refusal(literal.get());
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        name = name.toLowerCase(java.util.Locale.ROOT);
        // RFC 6761: localhost names are loopback whatever a resolver says; refuse unless loopback is allowed
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            Optional<String> loopback = policy.refusal(InetAddress.getLoopbackAddress());
            if (loopback.isPresent()) {
                return Optional.of("is a localhost name (" + loopback.get() + ")");
            }
        }
        for (InetAddress address : resolve(name)) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                return Optional.of("resolves to a " + refusal.get());
            }
        }
        return Optional.empty();
    }

    private List<InetAddress> resolve(String host) {
        Future<InetAddress[]> lookup = resolver.submit(() -> InetAddress.getAllByName(host));
        try {
            return List.of(lookup.get(resolveTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                return List.of();
            }
            throw new IllegalStateException("resolving " + host + " failed", e.getCause());
        } catch (TimeoutException e) {
            lookup.cancel(true);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @PreDestroy
    void stop() {
        resolver.shutdownNow();
    }
}
