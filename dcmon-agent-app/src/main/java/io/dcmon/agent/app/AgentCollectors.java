package io.dcmon.agent.app;

import io.dcmon.core.model.Sample;
import io.dcmon.hardware.CollectorSet;
import io.dcmon.hardware.proc.OsCollector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The collectors this agent runs, built from its configuration. */
final class AgentCollectors implements AutoCloseable {

    /**
     * Whether a collector runs on this machine, as printed by {@code collect --once}.
     *
     * @param name      collector name
     * @param available true when it runs
     * @param reason    why not, or a short note
     */
    record Availability(String name, boolean available, String reason) {
    }

    private final CollectorSet set;
    private final Duration timeout;

    private AgentCollectors(CollectorSet set, Duration timeout) {
        this.set = set;
        this.timeout = timeout;
    }

    static AgentCollectors create(AgentConfig config, Duration interval) {
        CollectorSet set = CollectorSet.of(OsCollector.local());
        set.probe();
        // a cycle's collection must finish well within the push interval
        Duration timeout = interval.compareTo(Duration.ofSeconds(20)) >= 0 ? Duration.ofSeconds(10) : interval.dividedBy(2);
        return new AgentCollectors(set, timeout);
    }

    /** One cycle of every available collector, run concurrently, with health samples. */
    List<Sample> collect() {
        return set.collectOnce(timeout);
    }

    List<Availability> availability() {
        return set.probe().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Availability(e.getKey(), e.getValue().available(), e.getValue().reason())).toList();
    }

    @Override
    public void close() {
        set.close();
    }
}
