package io.dcmon.hardware;

import io.dcmon.core.model.Sample;

import java.util.List;

/**
 * A source of samples, e.g. the os collector over /proc or the nvidia collector over nvidia-smi.
 * Implementations stamp samples with their own injected clock and may block (they run external tools),
 * so callers run each collector on its own thread with a timeout ({@link CollectorSet} does).
 */
public interface Collector {

    /** Short stable name used in logs and in the {@code collector} label of health samples, e.g. {@code "nvidia"}. */
    String name();

    /**
     * Reads the source once.
     *
     * @throws CollectorException when nothing could be read; the message says why and what to do
     */
    List<Sample> collect() throws CollectorException;

    /**
     * Whether this collector can work here: called once at start, bounded by the collector's timeout. The
     * default says yes; collectors over external tools check that the binary exists and answers.
     */
    default Availability availability() {
        return Availability.yes();
    }
}
