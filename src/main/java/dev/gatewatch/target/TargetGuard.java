package dev.gatewatch.target;

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
public class TargetGuard implements AddressGate {

    /** How every SSRF refusal of a field starts, so owners and scripts recognise it. */
    public static final String PRIVATE_NETWORK = "points inside a private network and is refused: ";

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

    /** {@link #refusal}, with and without the address, for callers that must not echo a DNS answer. */
    @Override
    public Optional<AddressPolicy.Refusal> classify(InetAddress address) {
        return policy.classify(address);
    }

    @Override
    public Optional<AddressPolicy.Refusal> classifyResolver(InetAddress address, int port) {
        return policy.classifyResolver(address, port);
    }

    /**
     * Why a resolver at these addresses (as {@link #admit} found them) may not be asked on this port: a public one only
     * on port 53. Checkers judge again at check time, after resolving a resolver given by name.
     */
    public Optional<String> resolverPortRefusal(List<InetAddress> addresses, int port) {
        return addresses.stream().map(a -> policy.classifyResolver(a, port)).flatMap(Optional::stream).findFirst()
                .map(AddressPolicy.Refusal::category);
    }

    /**
     * What the guard made of a host: why it is refused, or the addresses it resolved to now, all of them allowed (none
     * if the name does not resolve). A client that connects to these instead of looking the name up again cannot be
     * sent elsewhere by a DNS answer that changes in between.
     */
    public record Admission(Optional<String> refusal, List<InetAddress> addresses) {
        static Admission refused(String why) {
            return new Admission(Optional.of(why), List.of());
        }
    }

    /**
     * Why this host (a URL host in any spelling, or a DNS resolver's address) may not be fetched, or empty if it may.
     * A host name that does not resolve now is allowed (its checks will report the DNS failure); one that resolves to
     * any refused address is refused, naming only the kind of range: the DNS answer is not echoed, since the system
     * resolver may answer with internal addresses a stranger must not learn.
     */
    public Optional<String> hostRefusal(String host) {
        return admit(host).refusal();
    }

    /** {@link #hostRefusal}, with the allowed addresses to connect to. */
    public Admission admit(String host) {
        if (host == null || host.isEmpty()) {
            return Admission.refused("has no host");
        }
        Optional<InetAddress> literal;
        try {
            literal = HostLiteral.parse(host);
        } catch (IllegalArgumentException e) {
            return Admission.refused(e.getMessage());
        }
        if (literal.isPresent()) {
            Optional<String> refusal = policy.refusal(literal.get()).map(why -> "host " + why);
            return new Admission(refusal, refusal.isPresent() ? List.of() : List.of(literal.get()));
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        name = name.toLowerCase(java.util.Locale.ROOT);
        // RFC 6761: localhost names are loopback whatever a resolver says; refuse unless loopback is allowed
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            if (!policy.permits(InetAddress.getLoopbackAddress())) {
                return Admission.refused("host " + name + " is a localhost name, always a loopback address");
            }
        }
        List<InetAddress> addresses = resolve(name);
        for (InetAddress address : addresses) {
            Optional<AddressPolicy.Refusal> refusal = policy.classify(address);
            if (refusal.isPresent()) {
                return Admission.refused("the DNS answer for " + name + " is " + refusal.get().category());
            }
        }
        return new Admission(Optional.empty(), addresses);
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
