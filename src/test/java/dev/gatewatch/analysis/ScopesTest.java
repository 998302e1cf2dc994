package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.analysis.model.StreamState;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.cdn.ErrorSource;

/**
 * Where failures are, from one view of latest samples. Each row is a view written as
 * {@code region/resolver/ip/pop/ok-or-fail} cells.
 */
class ScopesTest {

    record Case(String name, String view, Extent extent, boolean outage, String label) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("all pass", "eu/sys/1/-/ok us/sys/1/-/ok", Extent.WHOLE, false, "everywhere"),
                new Case("all fail, one region", "eu/sys/1/-/fail eu/cf/1/-/fail", Extent.WHOLE, true, "everywhere"),
                new Case("all fail, three regions", "eu/sys/1/-/fail us/sys/1/-/fail ap/sys/1/-/fail", Extent.WHOLE, true, "everywhere"),
                new Case("one resolver in every region", "eu/sys/1/-/ok eu/g/9/-/fail us/sys/1/-/ok us/g/9/-/fail",
                        Extent.RESOLVER, false, "resolver g (9)"),
                new Case("one resolver, one region", "eu/sys/1/-/ok eu/cf/1/-/ok eu/g/9/-/fail", Extent.RESOLVER, false, "resolver g (9)"),
                new Case("two resolvers of three", "eu/sys/1/-/ok eu/cf/9/-/fail eu/g/9/-/fail", Extent.RESOLVER, false,
                        "resolvers cf (9), g (9)"),
                new Case("a resolver failing in only one region is not the resolver",
                        "eu/sys/1/-/ok eu/g/1/-/fail us/sys/1/-/ok us/g/1/-/ok ap/sys/1/-/ok ap/g/1/-/ok", Extent.MIXED, false, "1 of 6"),
                new Case("round robin: one address fails", "eu/sys/1/-/ok us/sys/2/-/fail ap/sys/1/-/ok", Extent.ADDRESS, false, "address 2"),
                new Case("one CDN node fails", "eu/sys/1/FRA/fail us/sys/1/IAD/ok ap/sys/1/SIN/ok", Extent.CDN_NODE, false, "CDN node FRA"),
                new Case("same POP passing elsewhere is not the node", "eu/sys/1/FRA/fail us/sys/1/FRA/ok ap/sys/1/SIN/ok",
                        Extent.REGIONS, false, "region eu"),
                new Case("one region of three", "eu/sys/1/-/fail eu/cf/1/-/fail us/sys/1/-/ok us/cf/1/-/ok ap/sys/1/-/ok ap/cf/1/-/ok",
                        Extent.REGIONS, false, "region eu"),
                new Case("two regions of three: quorum", "eu/sys/1/-/fail us/sys/1/-/fail ap/sys/1/-/ok", Extent.REGIONS, true, "regions eu, us"),
                new Case("one region of two is no majority", "eu/sys/1/-/fail us/sys/1/-/ok", Extent.REGIONS, false, "region eu"),
                new Case("scattered, mostly failing regions", "eu/sys/1/-/fail eu/cf/1/-/fail eu/g/1/-/ok us/sys/1/-/fail us/cf/1/-/fail "
                        + "us/g/1/-/ok ap/sys/1/-/ok ap/cf/1/-/ok ap/g/1/-/ok", Extent.MIXED, true, "4 of 9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scope(Case c) {
        Scope s = Scopes.of(view(c.view()));
        assertEquals(c.extent(), s.extent(), c.name());
        assertEquals(c.outage(), s.quorum(), c.name() + ": quorum");
        assertTrue(s.label().contains(c.label()), c.name() + ": label " + s.label());
    }

    static List<StreamState> view(String cells) {
        List<StreamState> out = new ArrayList<>();
        Instant at = Instant.parse("2026-11-02T10:00:00Z");
        for (String cell : cells.split(" ")) {
            String[] f = cell.split("/");
            boolean ok = f[4].equals("ok");
            Sample s = new Sample(0, f[0], f[1], at, ok, ok ? 200 : 502, ok ? null : ErrorClass.ASSERTION_FAILED, 100, 1, 1, 90,
                    f[2], f[3].equals("-") ? null : "cloudflare", f[3].equals("-") ? null : f[3],
                    ok ? ErrorSource.NONE : ErrorSource.ORIGIN, ok ? null : "nginx");
            out.add(StreamState.empty().next(s));
        }
        return out;
    }
}
