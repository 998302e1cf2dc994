package dev.gatewatch.dashboard.chart;

/** An axis label at a position in the SVG's user units. */
public record Tick(double at, String label) {
}
