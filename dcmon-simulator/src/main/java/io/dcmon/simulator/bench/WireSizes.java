package io.dcmon.simulator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.core.model.Sample;
import io.dcmon.simulator.MachineModel;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsBatch;
import io.dcmon.transport.wire.WireSample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the size of one agent batch on the wire, plain JSON against gzip (what the agent sends), for a full
 * simulated machine and for its first 60 samples. Run:
 * {@code java -cp dcmon-simulator/target/dcmon-simulator.jar io.dcmon.simulator.bench.WireSizes}.
 */
public final class WireSizes {

    private WireSizes() {
    }

    /** Entry point; no arguments. */
    public static void main(String[] args) throws IOException {
        ObjectMapper json = Json.mapper();
        MachineModel m = new MachineModel(1);
        m.next(1_790_000_000_000L);
        List<Sample> samples = m.next(1_790_000_030_000L);
        for (int n : new int[] {60, samples.size()}) {
            List<WireSample> wire = new ArrayList<>();
            for (Sample s : samples.subList(0, n)) {
                wire.add(WireSample.from(s));
            }
            byte[] plain = json.writeValueAsBytes(new MetricsBatch(wire));
            byte[] gz = WireBench.gzip(plain);
            System.out.printf(Locale.ROOT, "%3d samples: plain JSON %6d bytes, gzip %5d bytes (%.1f%%, %.1f bytes/sample)%n",
                    n, plain.length, gz.length, 100.0 * gz.length / plain.length, gz.length / (double) n);
        }
    }
}
