package dev.gatewatch.dashboard.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One cell of a 90-day uptime strip (UTC days). */
public record Day(LocalDate date, Uptime uptime) {

    /** "2026-11-20: 99.93% (2 of 2,880 checks failed)" or "2026-11-20: no data". */
    public String title() {
        if (uptime.checks() == 0) {
            return date + ": no data";
        }
        return date + ": " + uptime.text() + (uptime.failures() == 0 ? " (" + grouped(uptime.checks()) + " checks)"
                : " (" + grouped(uptime.failures()) + " of " + grouped(uptime.checks()) + " checks failed)");
    }

    /** "2,880": thousands separated by commas; String.format costs too much across 90,000 cells of a big status page. */
    static String grouped(long n) {
        String digits = Long.toString(n);
        if (n < 1000) {
            return digits;
        }
        StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3);
        int lead = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        out.append(digits, 0, lead);
        for (int i = lead; i < digits.length(); i += 3) {
            out.append(',').append(digits, i, i + 3);
        }
        return out.toString();
    }

    /** The {@code days} days up to and including {@code today}, oldest first, empty days filled in. */
    public static List<Day> strip(LocalDate today, int days, Map<LocalDate, Uptime> byDate) {
        List<Day> out = new ArrayList<>(days);
        for (int i = days - 1; i >= 0; i--) {
            LocalDate d = today.minusDays(i);
            out.add(new Day(d, byDate.getOrDefault(d, Uptime.NONE)));
        }
        return out;
    }

    /** The strip's cells as HTML ({@code <span class="day-ok" title="...">}), escaped; built without a template for speed. */
    public static String cells(List<Day> strip) {
        StringBuilder html = new StringBuilder(strip.size() * 64);
        for (Day d : strip) {
            html.append("<span class=\"day-").append(d.uptime().band()).append("\" title=\"").append(d.title()).append("\"></span>");
        }
        return html.toString(); // titles hold only digits, dates, '%', ',', '(' and letters: nothing to escape
    }
}
