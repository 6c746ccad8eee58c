package io.dcmon.hardware.fan;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.CollectorException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code bmc_fan} collector: Supermicro fan mode and zone duties as metrics.
 * <ul>
 *   <li>{@code bmc_fan_mode} (integer): the mode code, 0 standard, 1 full, 2 optimal, 4 heavy I/O (others as
 *       the BMC reports them).</li>
 *   <li>{@code bmc_fan_zone_duty_percent} (integer), label {@code zone} = {@code cpu} | {@code peripheral}.</li>
 * </ul>
 */
public final class BmcFanCollector implements Collector {

    /** Mode code metric. */
    public static final String FAN_MODE = "bmc_fan_mode";
    /** Zone duty metric. */
    public static final String ZONE_DUTY = "bmc_fan_zone_duty_percent";

    private final SupermicroFans fans;
    private final Clock clock;

    /** Collects from {@code fans}. */
    public BmcFanCollector(SupermicroFans fans) {
        this(fans, Clock.systemUTC());
    }

    /** Collects from {@code fans}, stamping samples with {@code clock}. */
    public BmcFanCollector(SupermicroFans fans, Clock clock) {
        this.fans = Objects.requireNonNull(fans, "fans");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "bmc_fan";
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        FanStatus status;
        try {
            status = fans.status();
        } catch (FanControlException e) {
            throw new CollectorException(e.getMessage(), e);
        }
        long ts = clock.millis();
        List<Sample> out = new ArrayList<>(3);
        out.add(Sample.of(SeriesKey.of(FAN_MODE), ts, (long) status.modeCode()));
        for (Map.Entry<FanZone, Integer> e : status.zoneDutyPercent().entrySet()) {
            out.add(Sample.of(SeriesKey.of(ZONE_DUTY, "zone", e.getKey().cliName()), ts, (long) e.getValue()));
        }
        return out;
    }
}
