package dev.gatewatch.target;

import java.net.InetAddress;
import java.util.Optional;

/** What a checker asks right before it connects: the {@link TargetGuard}, or in tests a bare policy or a lambda. */
@FunctionalInterface
public interface AddressGate {

    /** Empty if the address may be fetched, else why not. */
    Optional<AddressPolicy.Refusal> classify(InetAddress address);

    /** Empty if the address may be fetched on this port (a URL's or a redirect hop's); by default any port. */
    default Optional<AddressPolicy.Refusal> classify(InetAddress address, int port) {
        return classify(address);
    }

    /** Empty if a DNS resolver at this address may be asked on this port; by default any port. */
    default Optional<AddressPolicy.Refusal> classifyResolver(InetAddress address, int port) {
        return classify(address);
    }
}
