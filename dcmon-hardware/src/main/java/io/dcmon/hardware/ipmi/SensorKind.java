package io.dcmon.hardware.ipmi;

import java.util.Locale;

/**
 * What a sensor measures, derived from the unit ipmitool prints. Each kind names its metric and unit
 * suffix, so a reading becomes {@code ipmi_temperature_celsius}, {@code ipmi_fan_speed_rpm}, …
 */
public enum SensorKind {
    /** {@code degrees C}. */
    TEMPERATURE("ipmi_temperature", "celsius", false),
    /** {@code RPM}. */
    FAN("ipmi_fan_speed", "rpm", true),
    /** {@code Volts}. */
    VOLTAGE("ipmi_voltage", "volts", false),
    /** {@code Watts}. */
    POWER("ipmi_power", "watts", false),
    /** {@code Amps}. */
    CURRENT("ipmi_current", "amperes", false),
    /** A discrete (state) sensor: the value is the bit field of asserted states, when known. */
    DISCRETE("ipmi_sensor_state", "", true),
    /** Any other unit (percent, feet, …): {@code ipmi_sensor_value} with a {@code unit} label. */
    OTHER("ipmi_sensor_value", "", false);

    private final String metricBase;
    private final String unitSuffix;
    private final boolean integral;

    SensorKind(String metricBase, String unitSuffix, boolean integral) {
        this.metricBase = metricBase;
        this.unitSuffix = unitSuffix;
        this.integral = integral;
    }

    /** The metric name of the reading, e.g. {@code ipmi_temperature_celsius}. */
    public String metric() {
        return unitSuffix.isEmpty() ? metricBase : metricBase + "_" + unitSuffix;
    }

    /** The metric name of the thresholds, e.g. {@code ipmi_temperature_threshold_celsius}. */
    public String thresholdMetric() {
        return unitSuffix.isEmpty() ? "ipmi_sensor_threshold" : metricBase + "_threshold_" + unitSuffix;
    }

    /** True when readings are whole numbers by nature (RPM, state bits) and are shipped as integers. */
    public boolean integral() {
        return integral;
    }

    /** The kind for a unit as ipmitool or SMCIPMITool prints it ({@code degrees C}, {@code RPM}, {@code Volts}, {@code V}, …). */
    public static SensorKind ofUnit(String unit) {
        return switch (unit.strip().toLowerCase(Locale.ROOT)) {
            case "degrees c", "c" -> TEMPERATURE;
            case "rpm" -> FAN;
            case "volts", "v" -> VOLTAGE;
            case "watts", "w" -> POWER;
            case "amps", "a" -> CURRENT;
            case "discrete" -> DISCRETE;
            default -> OTHER;
        };
    }
}
