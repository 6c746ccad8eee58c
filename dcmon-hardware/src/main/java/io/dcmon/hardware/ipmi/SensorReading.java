package io.dcmon.hardware.ipmi;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One sensor row of {@code ipmitool sensor}, {@code ipmitool sdr [elist]} or SMCIPMITool {@code ipmi sensor}.
 * A sensor that gives no reading ({@code na}, {@code No Reading}, {@code Disabled}, {@code N/A}) has an
 * empty {@link #value()}, never 0. Immutable and thread-safe.
 *
 * @param name       sensor name as printed, trimmed (not unique: Dell prints several {@code Temp})
 * @param kind       what it measures, from the unit
 * @param unit       the unit as printed ({@code degrees C}, {@code RPM}, {@code discrete}, {@code percent}; "" when none)
 * @param value      the reading in {@code unit}; for discrete sensors the asserted-state bit field when printed as hex
 * @param status     ok/nc/cr/nr, or ns/na for sensors without a reading
 * @param thresholds the thresholds ({@link Thresholds#none()} when the format has none)
 * @param state      the text of a discrete sensor's state ({@code Presence detected, Failure detected}), when printed
 */
public record SensorReading(String name, SensorKind kind, String unit, OptionalDouble value, SensorStatus status,
                            Thresholds thresholds, Optional<String> state) {

    public SensorReading {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(state, "state");
        if (name.isBlank()) {
            throw new IllegalArgumentException("sensor name is blank; every sensor row must name its sensor");
        }
    }

    /** True when the sensor gave a reading (the value is present). */
    public boolean readable() {
        return value.isPresent();
    }
}
