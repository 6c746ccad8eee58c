package io.dcmon.hardware.psu;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Turns PSU modules into samples: the one place that knows the psu metric names. Every series has the
 * labels {@code psu} (module number) and {@code address} (PMBus slave address, e.g. {@code 78h}).
 * <ul>
 *   <li>{@code psu_input_voltage_volts}, {@code psu_input_current_amperes}, {@code psu_input_power_watts},
 *       {@code psu_output_voltage_volts}, {@code psu_output_current_amperes}, {@code psu_output_power_watts}</li>
 *   <li>{@code psu_temperature_celsius} with label {@code sensor} (1, 2, …)</li>
 *   <li>{@code psu_fan_speed_rpm} (integer) with label {@code fan} (1, 2, …)</li>
 *   <li>{@code psu_status} (integer): 0 ok, 1 warning, 2 off, 3 fault (see {@link PsuStatus});
 *       {@code psu_status_byte} (integer): the raw PMBus STATUS_BYTE where printed</li>
 *   <li>{@code psu_info} = 1 with labels {@code model}, {@code serial}, {@code revision}, {@code input} (ac|dc) where known</li>
 * </ul>
 * Zero readings are samples; {@code N/A} ones are not. A module whose (address, module) pair was already
 * seen in the same output is left out, so a series never has two values in one collection.
 */
public final class PsuMetrics {

    private PsuMetrics() {
    }

    /** The samples of one collection, stamped {@code timestampMs}. */
    public static List<Sample> toSamples(List<PsuModule> modules, long timestampMs) {
        List<Sample> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PsuModule m : modules) {
            if (!seen.add(m.slaveAddress() + "/" + m.module())) {
                continue;
            }
            Labels l = Labels.of("psu", Integer.toString(m.module()), "address", m.slaveAddress());
            add(out, "psu_input_voltage_volts", l, m.inputVoltageVolts(), timestampMs);
            add(out, "psu_input_current_amperes", l, m.inputCurrentAmperes(), timestampMs);
            add(out, "psu_input_power_watts", l, m.inputPowerWatts(), timestampMs);
            add(out, "psu_output_voltage_volts", l, m.outputVoltageVolts(), timestampMs);
            add(out, "psu_output_current_amperes", l, m.outputCurrentAmperes(), timestampMs);
            add(out, "psu_output_power_watts", l, m.outputPowerWatts(), timestampMs);
            for (Map.Entry<Integer, Double> t : m.temperaturesCelsius().entrySet()) {
                out.add(Sample.of(new SeriesKey("psu_temperature_celsius", l.with("sensor", t.getKey().toString())), timestampMs,
                        t.getValue().doubleValue()));
            }
            for (Map.Entry<Integer, Integer> f : m.fanSpeedsRpm().entrySet()) {
                out.add(Sample.of(new SeriesKey("psu_fan_speed_rpm", l.with("fan", f.getKey().toString())), timestampMs,
                        f.getValue().longValue()));
            }
            m.status().ifPresent(s -> out.add(Sample.of(new SeriesKey("psu_status", l), timestampMs, (long) s)));
            m.statusByte().ifPresent(b -> out.add(Sample.of(new SeriesKey("psu_status_byte", l), timestampMs, (long) b)));
            Labels info = l.with("input", m.dcInput() ? "dc" : "ac");
            if (m.model().isPresent()) {
                info = info.with("model", m.model().get());
            }
            if (m.serial().isPresent()) {
                info = info.with("serial", m.serial().get());
            }
            if (m.revision().isPresent()) {
                info = info.with("revision", m.revision().get());
            }
            out.add(Sample.of(new SeriesKey("psu_info", info), timestampMs, 1L));
        }
        return out;
    }

    private static void add(List<Sample> out, String metric, Labels l, OptionalDouble v, long ts) {
        if (v.isPresent()) {
            out.add(Sample.of(new SeriesKey(metric, l), ts, v.getAsDouble()));
        }
    }
}
