package io.dcmon.hardware.fan;

import java.util.Locale;
import java.util.Objects;

/**
 * What {@link SupermicroFans#setZoneDuty(FanZone, int)} did and what the BMC holds afterwards.
 * Immutable and thread-safe.
 *
 * @param zone              the zone written
 * @param requestedPercent  the duty asked for
 * @param actualPercent     the duty the BMC reported when read back
 * @param previousModeCode  the fan mode code before the call (see {@link FanMode#fromCode(int)})
 * @param modeSwitched      true when the mode was switched to {@link FanMode#FULL} first
 */
public record DutyResult(FanZone zone, int requestedPercent, int actualPercent, int previousModeCode, boolean modeSwitched) {

    public DutyResult {
        Objects.requireNonNull(zone, "zone");
    }

    /** True when the BMC holds the requested duty. */
    public boolean applied() {
        return actualPercent == requestedPercent;
    }

    /** One line for the operator: {@code zone cpu (0): requested 60%, BMC holds 60% (mode switched from standard to full)}. */
    public String describe() {
        String mode = modeSwitched
                ? " (mode switched from " + FanMode.fromCode(previousModeCode).map(FanMode::cliName).orElse("code " + previousModeCode) + " to full)"
                : "";
        return String.format(Locale.ROOT, "zone %s (%d): requested %d%%, BMC holds %d%%%s", zone.cliName(), zone.id(),
                requestedPercent, actualPercent, mode);
    }
}
