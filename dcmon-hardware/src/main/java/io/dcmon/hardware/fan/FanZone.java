package io.dcmon.hardware.fan;

import java.util.Locale;

/** Supermicro fan zones as numbered in {@code raw 0x30 0x70 0x66}: 0 CPU/system fans (FAN1…), 1 peripheral fans (FANA…). */
public enum FanZone {
    /** Zone 0: CPU and system fans, FAN1–FAN6 on most boards. */
    CPU(0, "cpu"),
    /** Zone 1: peripheral fans, FANA/FANB on most boards. */
    PERIPHERAL(1, "peripheral");

    private final int id;
    private final String cliName;

    FanZone(int id, String cliName) {
        this.id = id;
        this.cliName = cliName;
    }

    /** The zone byte in the raw command. */
    public int id() {
        return id;
    }

    /** {@code cpu} or {@code peripheral}: the CLI word and the {@code zone} label. */
    public String cliName() {
        return cliName;
    }

    /**
     * The zone for a CLI word, case-insensitive: {@code 0}, {@code cpu}, {@code system}, {@code 1},
     * {@code peripheral}.
     *
     * @throws IllegalArgumentException naming the word and the accepted ones
     */
    public static FanZone parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "0", "cpu", "system" -> CPU;
            case "1", "peripheral" -> PERIPHERAL;
            default -> throw new IllegalArgumentException("fan zone was '" + text
                    + "' but it must be 0 (cpu, also: system) or 1 (peripheral)");
        };
    }
}
