package dev.gatewatch.dashboard.chart;

import java.util.List;

/** A named line, its points in time order; a missing bucket is a gap, never drawn through. */
public record Series(String name, List<Point> points) {
}
