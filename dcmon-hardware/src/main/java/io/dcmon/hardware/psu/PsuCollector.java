package io.dcmon.hardware.psu;

import io.dcmon.core.model.Sample;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.Availability;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code psu} collector: Supermicro power supply modules from {@code ipmicfg -pminfo} (or SMCIPMITool's
 * {@code pminfo}, same table), as the samples described in {@link PsuMetrics}.
 */
public final class PsuCollector implements Collector {

    /** Timeout of one pminfo call unless configured: PMBus reads through the BMC take seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ToolRunner runner;
    private final List<String> args;
    private final Clock clock;

    /** {@code ipmicfg -pminfo} from {@code PATH}, with the default timeout. */
    public static PsuCollector ipmicfg() {
        return new PsuCollector(ToolRunner.local(Tool.of("ipmicfg", DEFAULT_TIMEOUT)), List.of("-pminfo"));
    }

    /**
     * Runs {@code runner}'s tool with {@code args}: {@code ["-pminfo"]} for ipmicfg, {@code ["pminfo"]} for
     * SMCIPMITool (whose host, user and password are the tool's base arguments).
     */
    public PsuCollector(ToolRunner runner, List<String> args) {
        this(runner, args, Clock.systemUTC());
    }

    /** As {@link #PsuCollector(ToolRunner, List)}, stamping samples with {@code clock}. */
    public PsuCollector(ToolRunner runner, List<String> args, Clock clock) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.args = List.copyOf(args);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "psu";
    }

    /** Available when the tool is installed; reading PSUs over PMBus takes seconds, so nothing is run at start. */
    @Override
    public Availability availability() {
        return runner.locate().isPresent() ? Availability.yes(runner.tool().binary())
                : Availability.no(runner.tool().binary() + " is not installed (Supermicro's ipmicfg or SMCIPMITool reads the "
                        + "PSUs): install it or set its path in the configuration");
    }

    /** Runs the tool once and parses its output. */
    public PmInfo read() throws CollectorException {
        return PmInfoParser.parse(runner.run(args).stdout());
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        PmInfo info = read();
        if (info.modules().isEmpty()) {
            throw new CollectorException(runner.tool().name() + " " + String.join(" ", args)
                    + " listed no power supply modules; the board may have no PMBus power supplies (then disable the psu collector)");
        }
        return PsuMetrics.toSamples(info.modules(), clock.millis());
    }
}
