package dev.gatewatch.diagnosis;

import java.util.List;

/**
 * A diagnosis in plain words, with the next steps for each audience.
 *
 * @param headline  one line: up or down, for whom, and what answered
 * @param layer     which layer answered ("nginx at the origin answered 502: …"); null when every check passed
 * @param agreement whether regions, resolvers and nodes agree
 * @param cause     the likely cause (null when nothing failed)
 * @param visitor   what the person who saw the error can do, most useful first
 * @param owner     what the site's owner should look at, most useful first
 * @param silent    regions asked that did not answer by the deadline
 * @param waiting   regions still expected to answer
 */
public record Verdict(Finding finding, String headline, String layer, String agreement, String cause, List<Step> visitor,
                      List<Step> owner, List<String> silent, List<String> waiting) {
}
