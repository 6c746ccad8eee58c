package io.dcmon.hardware.gpu;

import java.util.EnumSet;
import java.util.Set;

/**
 * Why the GPU runs below its maximum clocks (NVML {@code nvmlClocksEventReasons}, formerly "throttle
 * reasons"). The bit values are NVML's, so the {@code clocks_event_reasons.active} bitmask of the CSV and
 * the {@code <clocks_event_reason_*>} elements of the XML mean the same thing.
 */
public enum ClockEventReason {
    GPU_IDLE(0x1, "gpu_idle"),
    APPLICATIONS_CLOCKS_SETTING(0x2, "applications_clocks_setting"),
    SW_POWER_CAP(0x4, "sw_power_cap"),
    HW_SLOWDOWN(0x8, "hw_slowdown"),
    SYNC_BOOST(0x10, "sync_boost"),
    SW_THERMAL_SLOWDOWN(0x20, "sw_thermal_slowdown"),
    HW_THERMAL_SLOWDOWN(0x40, "hw_thermal_slowdown"),
    HW_POWER_BRAKE_SLOWDOWN(0x80, "hw_power_brake_slowdown"),
    DISPLAY_CLOCKS_SETTING(0x100, "display_clocks_setting");

    private final long bit;
    private final String label;

    ClockEventReason(long bit, String label) {
        this.bit = bit;
        this.label = label;
    }

    /** NVML's bit for this reason. */
    public long bit() {
        return bit;
    }

    /** The label value, also the suffix of the XML element name, e.g. {@code sw_power_cap}. */
    public String label() {
        return label;
    }

    /** The reasons set in {@code mask}. */
    public static Set<ClockEventReason> of(long mask) {
        Set<ClockEventReason> out = EnumSet.noneOf(ClockEventReason.class);
        for (ClockEventReason r : values()) {
            if ((mask & r.bit) != 0) {
                out.add(r);
            }
        }
        return out;
    }

    /** The reason an XML element suffix names ({@code sw_power_cap}), or null. */
    static ClockEventReason byLabel(String label) {
        for (ClockEventReason r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        return null;
    }
}
