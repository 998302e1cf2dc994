package dev.gatewatch.analysis.model;

import java.time.Duration;

/**
 * A monitor's own analysis settings.
 *
 * @param window            how long failures may last before they are an incident (the confirmation window)
 * @param successThreshold  consecutive good checks per (region, resolver) that close an episode
 * @param maxResponseTimeMs slower successful checks count as slow (degraded); null disables
 * @param interval          the monitor's normal check interval
 * @param quickConfirmation failures no deploy causes are confirmed by two failing checks 10 s apart, not the window
 */
public record Policy(Duration window, int successThreshold, Integer maxResponseTimeMs, Duration interval, boolean quickConfirmation) {
}
