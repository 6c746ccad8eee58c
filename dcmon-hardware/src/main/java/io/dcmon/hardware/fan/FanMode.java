package io.dcmon.hardware.fan;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Supermicro BMC fan modes and their codes in {@code raw 0x30 0x45}. Only {@link #FULL} lets a zone duty
 * written with {@code raw 0x30 0x70 0x66 0x01} stay: in every other mode the BMC overrides it.
 */
public enum FanMode {
    /** 0: the BMC's standard curve. */
    STANDARD(0, "standard"),
    /** 1: all fans at 100 % until a zone duty is written. */
    FULL(1, "full"),
    /** 2: the BMC's quiet curve. */
    OPTIMAL(2, "optimal"),
    /** 4: standard for CPUs, more air for the peripheral zone (add-on cards). */
    HEAVY_IO(4, "heavyio");

    private final int code;
    private final String cliName;

    FanMode(int code, String cliName) {
        this.code = code;
        this.cliName = cliName;
    }

    /** The byte in {@code raw 0x30 0x45 0x01 <mode>} and in the reply of {@code raw 0x30 0x45 0x00}. */
    public int code() {
        return code;
    }

    /** The name the CLI takes and prints: {@code standard}, {@code full}, {@code optimal}, {@code heavyio}. */
    public String cliName() {
        return cliName;
    }

    /** The mode with this code, or empty (some boards report codes dcmon does not set, e.g. 3 "PUE"). */
    public static Optional<FanMode> fromCode(int code) {
        return Arrays.stream(values()).filter(m -> m.code == code).findFirst();
    }

    /**
     * The mode for a CLI word, case-insensitive: {@code standard}, {@code full}, {@code optimal},
     * {@code heavyio} (also {@code heavy_io}, {@code heavy-io}), or the numeric code.
     *
     * @throws IllegalArgumentException naming the word and the accepted ones
     */
    public static FanMode parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (FanMode m : values()) {
            if (m.cliName.equals(t) || Integer.toString(m.code).equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("fan mode was '" + text + "' but it must be one of "
                + Arrays.stream(values()).map(FanMode::cliName).collect(Collectors.joining(", ")));
    }
}
