package io.dcmon.hardware.ipmi;

import io.dcmon.core.model.Sample;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.Availability;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.ParseException;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The {@code ipmi} collector: runs {@code ipmitool sensor} (or {@code sdr elist}) and emits the samples
 * described in {@link IpmiMetrics}. Blocks for as long as ipmitool runs (bounded by the {@link Ipmitool}
 * timeout), so callers run it on its own thread.
 */
public final class IpmiCollector implements Collector {

    /** Which ipmitool listing to read. */
    public enum Source {
        /** {@code ipmitool sensor}: readings, status and thresholds (default). */
        SENSOR(List.of("sensor")),
        /** {@code ipmitool sdr elist}: readings, status and discrete state text, no thresholds; faster on some BMCs. */
        SDR_ELIST(List.of("sdr", "elist"));

        private final List<String> args;

        Source(List<String> args) {
            this.args = args;
        }

        /** The ipmitool arguments. */
        public List<String> args() {
            return args;
        }
    }

    private final Ipmitool ipmitool;
    private final Source source;
    private final Clock clock;

    /** Reads {@code ipmitool sensor} through {@code ipmitool}. */
    public IpmiCollector(Ipmitool ipmitool) {
        this(ipmitool, Source.SENSOR, Clock.systemUTC());
    }

    /** Reads the given listing through {@code ipmitool}, stamping samples with {@code clock}. */
    public IpmiCollector(Ipmitool ipmitool, Source source, Clock clock) {
        this.ipmitool = Objects.requireNonNull(ipmitool, "ipmitool");
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "ipmi";
    }

    /**
     * Asks the BMC for its identity once ({@code ipmitool mc info}): decides at start whether there is a BMC to read,
     * so a machine without one (no /dev/ipmi0, no ipmitool, a wrong LAN password) says so once instead of failing
     * every cycle.
     */
    @Override
    public Availability availability() {
        try {
            ipmitool.run("mc", "info");
            return Availability.yes("BMC at " + ipmitool.target());
        } catch (ToolException e) {
            String why = e.getMessage();
            if (why.contains("Could not open device")) {
                why = "no local IPMI device (/dev/ipmi0): load the ipmi_devintf and ipmi_si kernel modules, or configure "
                        + "a BMC over the LAN (" + why + ")";
            }
            return Availability.no(why);
        }
    }

    /** Runs ipmitool once and returns the parsed readings (all rows, readable or not). */
    public IpmiReadings read() throws CollectorException {
        String out = ipmitool.run(source.args()).stdout();
        try {
            return IpmitoolSensorParser.parse(out);
        } catch (ParseException e) {
            throw new CollectorException(ipmitool.describe(source.args()) + " printed something that is not a sensor listing: "
                    + e.getMessage());
        }
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        IpmiReadings readings = read();
        if (readings.sensors().isEmpty()) {
            throw new CollectorException(ipmitool.describe(source.args()) + " listed no sensors on the " + ipmitool.target()
                    + "; check that the BMC has an SDR repository (ipmitool sdr info)");
        }
        return IpmiMetrics.toSamples(readings.sensors(), clock.millis());
    }
}
