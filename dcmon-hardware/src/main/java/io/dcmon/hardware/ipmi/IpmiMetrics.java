package io.dcmon.hardware.ipmi;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns sensor readings into samples: the one place that knows the ipmi metric names.
 *
 * <ul>
 *   <li>{@code ipmi_temperature_celsius}, {@code ipmi_fan_speed_rpm} (integer), {@code ipmi_voltage_volts},
 *       {@code ipmi_power_watts}, {@code ipmi_current_amperes}: the reading, label {@code sensor}.</li>
 *   <li>{@code ipmi_sensor_state} (integer): a discrete sensor's asserted-state bits, where printed.</li>
 *   <li>{@code ipmi_sensor_value}: any other unit, labels {@code sensor} and {@code unit} ({@code percent}, {@code feet}).</li>
 *   <li>{@code ipmi_sensor_status} (integer): 0 ok, 1 nc (non-critical), 2 cr (critical), 3 nr
 *       (non-recoverable); only for sensors whose listing prints one of these.</li>
 *   <li>{@code ipmi_temperature_threshold_celsius}, {@code ipmi_fan_speed_threshold_rpm}, … (or
 *       {@code ipmi_sensor_threshold} with {@code unit}): one series per defined threshold, labels
 *       {@code sensor} and {@code threshold} = {@code lnr lcr lnc unc ucr unr}.</li>
 * </ul>
 * Sensors without a reading ({@code na}, {@code No Reading}, {@code Disabled}) produce no sample at all; a
 * discrete sensor that prints only state text ({@code Fully Redundant}) produces its status only.
 * Several sensors with the same name (Dell prints {@code Temp} twice) are told apart by suffixing
 * {@code #2}, {@code #3}, … in order of appearance.
 */
public final class IpmiMetrics {

    /** Health of a sensor: 0 ok, 1 nc, 2 cr, 3 nr. */
    public static final String SENSOR_STATUS = "ipmi_sensor_status";
    /** Label holding the sensor name. */
    public static final String LABEL_SENSOR = "sensor";
    /** Label holding the threshold abbreviation. */
    public static final String LABEL_THRESHOLD = "threshold";
    /** Label holding the unit of {@code ipmi_sensor_value}. */
    public static final String LABEL_UNIT = "unit";

    private IpmiMetrics() {
    }

    /** The samples of one collection, stamped {@code timestampMs}. */
    public static List<Sample> toSamples(List<SensorReading> sensors, long timestampMs) {
        List<Sample> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (SensorReading s : sensors) {
            int n = seen.merge(s.name(), 1, Integer::sum);
            if (s.status().unreadable() || (!s.readable() && s.status().code().isEmpty())) {
                continue;
            }
            Labels labels = Labels.of(LABEL_SENSOR, n == 1 ? s.name() : s.name() + "#" + n);
            if (s.kind() == SensorKind.OTHER && !s.unit().isEmpty()) {
                labels = labels.with(LABEL_UNIT, s.unit().toLowerCase(Locale.ROOT));
            }
            if (s.status().code().isPresent()) {
                out.add(Sample.of(new SeriesKey(SENSOR_STATUS, labels), timestampMs, (long) s.status().code().getAsInt()));
            }
            if (!s.readable()) {
                continue; // a discrete sensor that printed only state text: its status is all there is
            }
            out.add(sample(s.kind().metric(), labels, s.value().getAsDouble(), s.kind().integral(), timestampMs));
            for (Map.Entry<String, Double> t : s.thresholds().asMap().entrySet()) {
                out.add(sample(s.kind().thresholdMetric(), labels.with(LABEL_THRESHOLD, t.getKey()), t.getValue(),
                        s.kind().integral(), timestampMs));
            }
        }
        return out;
    }

    private static Sample sample(String metric, Labels labels, double value, boolean integral, long ts) {
        SeriesKey key = new SeriesKey(metric, labels);
        return integral ? Sample.of(key, ts, Math.round(value)) : Sample.of(key, ts, value);
    }
}
