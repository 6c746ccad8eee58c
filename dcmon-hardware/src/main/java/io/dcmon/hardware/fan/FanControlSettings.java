package io.dcmon.hardware.fan;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SupermicroFans} writes to the BMC. Immutable and thread-safe.
 *
 * @param minimumDutyPercent lowest zone duty accepted (0–100, default 25): lower requests are refused,
 *                           because fans that slow can let CPUs or add-on cards overheat
 * @param modeSettleTime     wait after a mode change before the next command (default 5 s): the BMC
 *                           applies a mode asynchronously and resets zone duties when it does
 * @param dutySettleTime     wait after writing a duty before reading it back (default 1 s)
 */
public record FanControlSettings(int minimumDutyPercent, Duration modeSettleTime, Duration dutySettleTime) {

    /** Default minimum duty in percent. */
    public static final int DEFAULT_MINIMUM_DUTY_PERCENT = 25;

    public FanControlSettings {
        Objects.requireNonNull(modeSettleTime, "modeSettleTime");
        Objects.requireNonNull(dutySettleTime, "dutySettleTime");
        if (minimumDutyPercent < 0 || minimumDutyPercent > 100) {
            throw new IllegalArgumentException("minimumDutyPercent was " + minimumDutyPercent + " but it must be from 0 to 100");
        }
        if (modeSettleTime.isNegative() || modeSettleTime.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("modeSettleTime was '" + modeSettleTime + "' but it must be from PT0S to PT1M");
        }
        if (dutySettleTime.isNegative() || dutySettleTime.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("dutySettleTime was '" + dutySettleTime + "' but it must be from PT0S to PT1M");
        }
    }

    /** Minimum 25 %, 5 s after a mode change, 1 s before reading a duty back. */
    public static FanControlSettings defaults() {
        return new FanControlSettings(DEFAULT_MINIMUM_DUTY_PERCENT, Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /** A copy with another minimum duty. */
    public FanControlSettings withMinimumDutyPercent(int percent) {
        return new FanControlSettings(percent, modeSettleTime, dutySettleTime);
    }
}
