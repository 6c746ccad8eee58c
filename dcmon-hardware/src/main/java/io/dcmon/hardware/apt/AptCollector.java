package io.dcmon.hardware.apt;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Availability;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.ParseException;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The apt collector: pending and security upgrades from {@code apt-get -s -o Debug::NoLocking=true upgrade}
 * (a simulation: it never changes the system and never runs {@code apt update}, so it reports against the
 * package lists the system last fetched), and the reboot flag. Cheap enough hourly, not every 30 s: give it
 * its own interval in {@link io.dcmon.hardware.CollectorSet}. Thread-safe.
 */
public final class AptCollector implements Collector {

    /** Upgradable packages. */
    public static final String UPGRADES_PENDING = "apt_upgrades_pending";
    /** Upgradable packages from a security archive. */
    public static final String SECURITY_UPGRADES_PENDING = "apt_security_upgrades_pending";
    /** 1 when /var/run/reboot-required exists. */
    public static final String REBOOT_REQUIRED = "node_reboot_required";
    /** Packages listed in /var/run/reboot-required.pkgs. */
    public static final String REBOOT_REQUIRED_PACKAGES = "node_reboot_required_packages";

    /** The arguments of the simulation; the binary and its timeout come from the {@link Tool}. */
    public static final List<String> ARGS = List.of("-s", "-o", "Debug::NoLocking=true", "upgrade");

    private final ToolRunner aptGet;
    private final Path root;
    private final Clock clock;

    /**
     * @param aptGet the apt-get to run
     * @param root   filesystem root holding {@code var/run/reboot-required} (normally {@code /})
     * @param clock  stamps the samples
     */
    public AptCollector(ToolRunner aptGet, Path root, Clock clock) {
        this.aptGet = Objects.requireNonNull(aptGet, "aptGet");
        this.root = Objects.requireNonNull(root, "root");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code apt-get} from PATH (60 s timeout), root {@code /}, the system clock. */
    public static AptCollector local() {
        return new AptCollector(ToolRunner.local(Tool.of("apt-get", Duration.ofSeconds(60))), Path.of("/"), Clock.systemUTC());
    }

    @Override
    public String name() {
        return "apt";
    }

    @Override
    public Availability availability() {
        return aptGet.locate().isPresent() ? Availability.yes()
                : Availability.no(aptGet.tool().binary() + " not found: not a Debian/Ubuntu system, or set the apt-get path");
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        AptUpgrades u;
        try {
            u = AptUpgrades.parse(aptGet.run(ARGS).stdout());
        } catch (ParseException e) {
            throw new CollectorException("apt: " + e.getMessage(), e);
        }
        RebootRequired r = RebootRequired.read(root);
        long ts = clock.millis();
        List<Sample> out = new ArrayList<>(4);
        out.add(Sample.of(SeriesKey.of(UPGRADES_PENDING), ts, (long) u.pending()));
        out.add(Sample.of(SeriesKey.of(SECURITY_UPGRADES_PENDING), ts, (long) u.security()));
        out.add(Sample.of(SeriesKey.of(REBOOT_REQUIRED), ts, r.required() ? 1L : 0L));
        out.add(Sample.of(SeriesKey.of(REBOOT_REQUIRED_PACKAGES), ts, (long) r.packages().size()));
        return out;
    }
}
