package dev.gatewatch.check;

import java.util.Map;

import dev.gatewatch.support.TestCertificates;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the checker role in region {@code test}, fast. Everything outside loopback is refused, targets and resolvers
 * alike, so whatever monitors other tests left in the shared database never cause traffic off this machine.
 */
public class CheckerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("gatewatch.roles", "api,checker"),
                Map.entry("gatewatch.checker.region", "test"),
                Map.entry("gatewatch.targets.deny", "0.0.0.0/0,::/0"),
                Map.entry("gatewatch.monitors.min-interval", "1s"),
                Map.entry("gatewatch.checker.poll-interval", "100ms"),
                Map.entry("gatewatch.checker.heartbeat-interval", "1s"),
                Map.entry("gatewatch.checker.node-timeout", "3s"),
                Map.entry("gatewatch.checker.lease", "5s"),
                Map.entry("gatewatch.checker.writer.flush-interval", "100ms"),
                Map.entry("gatewatch.checker.extra-trust", TestCertificates.caPem().toString()));
    }
}
