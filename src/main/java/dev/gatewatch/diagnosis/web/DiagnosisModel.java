package dev.gatewatch.diagnosis.web;

import java.util.ArrayList;
import java.util.List;

import dev.gatewatch.check.Timings;
import dev.gatewatch.diagnosis.Finding;
import dev.gatewatch.diagnosis.service.DiagnosisView;

/**
 * What the diagnosis page shows beyond the view: the verdict's tone, which audience comes first, and each check as
 * one row of words.
 *
 * @param tone       up, slow, down, partial or pending: the verdict's colour
 * @param ownerFirst the owner of the monitor is looking: their steps come before the visitor's
 */
public record DiagnosisModel(String tone, boolean ownerFirst, List<Row> rows) {

    /** One check: where from, through what, what came back, and where the time went. */
    public record Row(String region, String resolver, boolean ok, String outcome, String address, String node, String timings,
                      String detail, String errorBody) {
    }

    static DiagnosisModel of(DiagnosisView d, boolean ownerLooking) {
        Finding f = d.verdict().finding();
        String tone = switch (f) {
            case UP -> "up";
            case SLOW -> "slow";
            case DOWN_EVERYWHERE -> "down";
            case CHECKING, NO_ANSWER -> "pending";
            default -> "partial";
        };
        List<Row> rows = new ArrayList<>();
        for (DiagnosisView.CheckView c : d.checks()) {
            String outcome = c.status() != null ? "HTTP " + c.status() + (c.ok() ? "" : " (" + (c.errorClass() == null ? "failed" : words(c.errorClass())) + ")")
                    : c.errorClass() == null ? "no answer" : words(c.errorClass());
            String node = c.cdnProvider() == null ? (c.server() == null ? "" : c.server())
                    : c.cdnProvider() + (c.cdnPop() == null ? "" : " " + c.cdnPop());
            String detail = c.ok() ? (c.redirects() > 0 ? c.redirects() + " redirect" + (c.redirects() == 1 ? "" : "s") + " to "
                    + c.finalUrl() : "") : c.errorMessage() == null ? "" : c.errorMessage();
            if (c.assertionFailures() != null) {
                detail = (detail.isEmpty() ? "" : detail + "; ") + String.join("; ", c.assertionFailures());
            }
            rows.add(new Row(c.region(), c.resolver(), c.ok(), outcome, c.resolvedIp() == null ? "–" : c.resolvedIp(), node,
                    timings(c.timings()), detail, c.errorBody()));
        }
        return new DiagnosisModel(tone, ownerLooking, rows);
    }

    /** "dns 2 · connect 1 · ttfb 5 · total 9 ms": the phases that happened. */
    static String timings(Timings t) {
        List<String> parts = new ArrayList<>();
        add(parts, "dns", t.dnsMs());
        add(parts, "connect", t.connectMs());
        add(parts, "tls", t.tlsMs());
        add(parts, "ttfb", t.ttfbMs());
        add(parts, "download", t.downloadMs());
        parts.add("total " + t.totalMs() + " ms");
        return String.join(" · ", parts);
    }

    private static void add(List<String> parts, String name, Integer ms) {
        if (ms != null) {
            parts.add(name + " " + ms);
        }
    }

    private static String words(String code) {
        return code.replace('_', ' ');
    }
}
