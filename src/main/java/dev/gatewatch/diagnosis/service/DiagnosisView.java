package dev.gatewatch.diagnosis.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.diagnosis.Verdict;

/**
 * A diagnosis as its page and the API show it. Nothing of the request (headers, body) is shown, and error bodies only
 * to the owner who asked.
 *
 * @param complete whether every region has answered or the deadline has passed
 * @param page     the shareable page, relative to the installation's base URL
 */
public record DiagnosisView(UUID id, String url, Long monitorId, Instant createdAt, Instant deadlineAt, Instant expiresAt,
                            boolean complete, List<RegionState> regions, List<String> resolvers, Verdict verdict,
                            List<CheckView> checks, String page) {

    /** One region asked: {@code answered}, {@code waiting} or {@code silent} (no answer by the deadline). */
    public record RegionState(String region, String state) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckView(String region, String resolver, boolean ok, Integer status, String errorClass, String errorMessage,
                            Timings timings, String resolvedIp, int redirects, String finalUrl, String server, String cdnProvider,
                            String cdnPop, String cdnRequestId, String errorSource, String errorGenerator, Instant tlsExpiresAt,
                            List<String> assertionFailures, String errorBody) {
    }

    static DiagnosisView of(DiagnosisStore.Stored s, Verdict verdict, boolean owner) {
        List<RegionState> regions = s.regions().stream().map(r -> new RegionState(r, s.done().contains(r) ? "answered"
                : verdict.silent().contains(r) ? "silent" : "waiting")).toList();
        List<CheckView> checks = s.checks().stream().map(c -> check(c, owner)).toList();
        return new DiagnosisView(s.id(), s.url(), s.monitorId(), s.createdAt(), s.deadlineAt(), s.expiresAt(), s.closed(), regions,
                s.resolvers(), verdict, checks, "/diagnose/" + s.id());
    }

    private static CheckView check(CheckResult c, boolean owner) {
        var e = c.edge();
        return new CheckView(c.region(), c.resolver(), c.ok(), c.status(), c.errorClass() == null ? null : c.errorClass().code(),
                c.errorMessage(), c.timings(), c.resolvedIp(), c.redirects(), c.finalUrl(), e == null ? null : e.server(),
                e == null ? null : e.provider(), e == null ? null : e.pop(), e == null ? null : e.requestId(),
                EdgeInfo.errorSourceCode(e, c.status()), e == null ? null : e.generator(),
                c.tlsExpiresAt(), c.assertionFailures() == null || c.assertionFailures().isEmpty() ? null : c.assertionFailures(),
                owner ? c.errorBody() : null);
    }
}
