package io.dcmon.simulator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.core.model.Sample;
import io.dcmon.simulator.MachineModel;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsBatch;
import io.dcmon.transport.wire.WireSample;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The wire hot path of one agent batch (~250 samples of {@link MachineModel}): JSON encode and gzip on the agent,
 * gunzip, JSON decode and conversion to core samples on the server. Plain-body variants are the baseline for
 * gzip. Run: {@code java -cp dcmon-simulator/target/dcmon-simulator.jar org.openjdk.jmh.Main WireBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireBench {

    private final ObjectMapper json = Json.mapper();
    private MetricsBatch batch;
    private byte[] plain;
    private byte[] gzipped;

    /** Builds one realistic batch and its encodings. */
    @Setup
    public void setUp() throws IOException {
        batch = batch();
        plain = json.writeValueAsBytes(batch);
        gzipped = gzip(plain);
    }

    static MetricsBatch batch() {
        MachineModel m = new MachineModel(1);
        m.next(1_790_000_000_000L);
        List<WireSample> wire = new ArrayList<>();
        for (Sample s : m.next(1_790_000_030_000L)) {
            wire.add(WireSample.from(s));
        }
        return new MetricsBatch(wire);
    }

    /** Agent: batch to JSON bytes. */
    @Benchmark
    public byte[] encodeJson() throws IOException {
        return json.writeValueAsBytes(batch);
    }

    /** Agent: JSON bytes to gzip (what DcmonClient.push sends). */
    @Benchmark
    public byte[] gzipBody() throws IOException {
        return gzip(plain);
    }

    /** Server: gzip body to JSON bytes. */
    @Benchmark
    public byte[] gunzipBody() throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    /** Server: JSON bytes to the wire records. */
    @Benchmark
    public MetricsBatch decodeJson() throws IOException {
        return json.readValue(plain, MetricsBatch.class);
    }

    /** Server: gunzip + decode + validate into core samples (the whole per-batch wire cost before storage). */
    @Benchmark
    public List<Sample> decodeGzipToCore() throws IOException {
        MetricsBatch b;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            b = json.readValue(in, MetricsBatch.class);
        }
        List<Sample> out = new ArrayList<>(b.samples().size());
        for (WireSample w : b.samples()) {
            out.add(w.toCore());
        }
        return out;
    }

    /** Baseline of the above without compression. */
    @Benchmark
    public List<Sample> decodePlainToCore() throws IOException {
        MetricsBatch b = json.readValue(plain, MetricsBatch.class);
        List<Sample> out = new ArrayList<>(b.samples().size());
        for (WireSample w : b.samples()) {
            out.add(w.toCore());
        }
        return out;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 4);
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(data);
        }
        return bytes.toByteArray();
    }
}
