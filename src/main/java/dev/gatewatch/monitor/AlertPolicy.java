package dev.gatewatch.monitor;

import java.util.List;

/**
 * When a failing monitor becomes an incident and whom it tells.
 *
 * @param confirmationWindowSeconds how long failures must last before they count as an outage (15-600, default 60)
 * @param successThreshold          consecutive good checks needed to close an incident (1-10, default 2)
 * @param channels                  ids of the owner's alert channels
 * @param reminderMinutes           repeat the alert every n minutes while an incident stays open (5-10080; absent: off)
 * @param quickConfirmation         confirm failures that no deploy causes (NXDOMAIN, a bad certificate, 404/410,
 *                                  content failing on a 200, a blocked target) by two failing checks 10 s apart instead
 *                                  of the whole window (default true)
 */
public record AlertPolicy(Integer confirmationWindowSeconds, Integer successThreshold, List<Long> channels,
                          Integer reminderMinutes, Boolean quickConfirmation) {
}
