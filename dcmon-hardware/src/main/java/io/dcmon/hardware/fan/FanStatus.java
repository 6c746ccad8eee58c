package io.dcmon.hardware.fan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fan mode and zone duties as the BMC reports them ({@code fans status}). Immutable and thread-safe.
 *
 * @param modeCode         the mode byte the BMC returned
 * @param zoneDutyPercent  duty per zone; a zone the BMC does not have (it answers with an error) is absent
 */
public record FanStatus(int modeCode, Map<FanZone, Integer> zoneDutyPercent) {

    public FanStatus {
        Objects.requireNonNull(zoneDutyPercent, "zoneDutyPercent");
        EnumMap<FanZone, Integer> copy = new EnumMap<>(FanZone.class);
        copy.putAll(zoneDutyPercent);
        zoneDutyPercent = Collections.unmodifiableMap(copy);
    }

    /** The mode, or empty when the BMC reports a code dcmon does not know. */
    public Optional<FanMode> mode() {
        return FanMode.fromCode(modeCode);
    }

    /** Lines for the operator: {@code mode: full (1)}, {@code zone cpu (0): 60%}, … */
    public String describe() {
        StringBuilder sb = new StringBuilder("mode: ").append(mode().map(FanMode::cliName).orElse("unknown")).append(" (")
                .append(modeCode).append(')');
        for (Map.Entry<FanZone, Integer> e : zoneDutyPercent.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%nzone %s (%d): %d%%", e.getKey().cliName(), e.getKey().id(), e.getValue()));
        }
        return sb.toString();
    }
}
