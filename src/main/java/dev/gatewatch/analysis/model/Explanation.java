package dev.gatewatch.analysis.model;

/**
 * Why a verdict was reached, in plain words.
 *
 * @param summary   one line: what happened and where
 * @param layer     which layer answered: "Cloudflare's edge (521)", "nginx at the origin (502)", "no HTTP answer"
 * @param agreement whether regions, resolvers and CDN nodes agree
 * @param cause     the likely cause
 * @param firstStep what the owner should look at first
 */
public record Explanation(String summary, String layer, String agreement, String cause, String firstStep) {
}
