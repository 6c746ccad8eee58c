package io.dcmon.hardware.ipmi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The six IPMI thresholds of a sensor, each absent when the BMC does not define it ({@code na}).
 * Immutable and thread-safe.
 *
 * @param lowerNonRecoverable lnr
 * @param lowerCritical       lcr
 * @param lowerNonCritical    lnc
 * @param upperNonCritical    unc
 * @param upperCritical       ucr
 * @param upperNonRecoverable unr
 */
public record Thresholds(OptionalDouble lowerNonRecoverable, OptionalDouble lowerCritical, OptionalDouble lowerNonCritical,
                         OptionalDouble upperNonCritical, OptionalDouble upperCritical, OptionalDouble upperNonRecoverable) {

    private static final Thresholds NONE = new Thresholds(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    public Thresholds {
        Objects.requireNonNull(lowerNonRecoverable, "lowerNonRecoverable");
        Objects.requireNonNull(lowerCritical, "lowerCritical");
        Objects.requireNonNull(lowerNonCritical, "lowerNonCritical");
        Objects.requireNonNull(upperNonCritical, "upperNonCritical");
        Objects.requireNonNull(upperCritical, "upperCritical");
        Objects.requireNonNull(upperNonRecoverable, "upperNonRecoverable");
    }

    /** No thresholds at all (discrete sensors, {@code sdr} listings). */
    public static Thresholds none() {
        return NONE;
    }

    /** True when no threshold is defined. */
    public boolean isEmpty() {
        return asMap().isEmpty();
    }

    /**
     * The defined thresholds by their ipmitool abbreviation ({@code lnr lcr lnc unc ucr unr}), in that order;
     * these are the values of the {@code threshold} label.
     */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "lnr", lowerNonRecoverable);
        put(m, "lcr", lowerCritical);
        put(m, "lnc", lowerNonCritical);
        put(m, "unc", upperNonCritical);
        put(m, "ucr", upperCritical);
        put(m, "unr", upperNonRecoverable);
        return m;
    }

    private static void put(Map<String, Double> m, String name, OptionalDouble v) {
        if (v.isPresent()) {
            m.put(name, v.getAsDouble());
        }
    }
}
