package io.dcmon.hardware.ipmi;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The status column of ipmitool's sensor listings. {@link #code()} is the value of the
 * {@code ipmi_sensor_status} metric: 0 ok, 1 non-critical, 2 critical, 3 non-recoverable. Sensors that are
 * not readable ({@link #NS}, {@link #NA}) have no code and no status sample: absent, not zero.
 */
public enum SensorStatus {
    /** Reading within all thresholds ({@code ok}). */
    OK(0),
    /** A non-critical threshold is crossed ({@code nc}). */
    NC(1),
    /** A critical threshold is crossed ({@code cr}). */
    CR(2),
    /** A non-recoverable threshold is crossed ({@code nr}). */
    NR(3),
    /** No reading / scanning disabled ({@code ns}). */
    NS(-1),
    /** Not available: the sensor is not populated ({@code na}). */
    NA(-1),
    /** A state column that is not one of the above, e.g. the {@code 0x0100} bit field of a discrete sensor. */
    UNSPECIFIED(-1);

    private final int code;

    SensorStatus(int code) {
        this.code = code;
    }

    /** The metric value (0–3), or empty for statuses that carry no health information. */
    public OptionalInt code() {
        return code < 0 ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** True for {@link #NS} and {@link #NA}: the sensor gives no reading. */
    public boolean unreadable() {
        return this == NS || this == NA;
    }

    /** The status for ipmitool's column text ({@code ok}, {@code nc}, {@code cr}, {@code nr}, {@code ns}, {@code na}), or empty. */
    public static Optional<SensorStatus> parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "ok" -> Optional.of(OK);
            case "nc" -> Optional.of(NC);
            case "cr" -> Optional.of(CR);
            case "nr" -> Optional.of(NR);
            case "ns" -> Optional.of(NS);
            case "na" -> Optional.of(NA);
            default -> Optional.empty();
        };
    }
}
