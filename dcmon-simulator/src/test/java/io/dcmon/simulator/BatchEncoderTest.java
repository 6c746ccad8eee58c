package io.dcmon.simulator;

import io.dcmon.core.model.Sample;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsBatch;
import io.dcmon.transport.wire.WireSample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class BatchEncoderTest {

    @Test
    void theTemplateEncodesExactlyTheSamplesTheModelProduces() throws Exception {
        MachineModel forEncoder = new MachineModel(11);
        MachineModel forSamples = new MachineModel(11);
        BatchEncoder encoder = new BatchEncoder(forEncoder.keys());
        try (BatchEncoder.Scratch scratch = new BatchEncoder.Scratch(1)) {
            for (long ts = 1_800_000_000_000L; ts < 1_800_000_090_000L; ts += 30_000) {
                byte[] gz = encoder.gzipBatch(forEncoder, ts, 30, scratch);
                byte[] json;
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                    json = in.readAllBytes(); // also checks the gzip trailer (CRC-32 and length)
                }
                MetricsBatch batch = Json.mapper().readValue(json, MetricsBatch.class);
                List<Sample> decoded = batch.samples().stream().map(WireSample::toCore).toList();
                assertThat(decoded).isEqualTo(forSamples.next(ts, 30));
                // integers stay integers on the wire (the storage compresses them differently from doubles)
                assertThat(decoded).filteredOn(s -> s.metric().equals("ipmi_fan_speed_rpm"))
                        .allSatisfy(s -> assertThat(s.value()).isInstanceOf(Long.class));
                assertThat(decoded).filteredOn(s -> s.metric().equals("nvidia_gpu_power_limit_watts"))
                        .allSatisfy(s -> assertThat(s.value()).isInstanceOf(Double.class));
                assertThat(gz.length).isLessThan(json.length / 4);
            }
        }
    }

    @Test
    void negativeAndLargeIntegersAndGrowingBuffersEncode() throws Exception {
        MachineModel m = new MachineModel(5);
        BatchEncoder encoder = new BatchEncoder(m.keys());
        try (BatchEncoder.Scratch scratch = new BatchEncoder.Scratch()) {
            int len = encoder.json(m, 0L, 30, scratch);
            String text = new String(Arrays.copyOf(scratch.json(), len), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).startsWith("{\"samples\":[{\"metric\":\"node_load1\",\"labels\":{},\"ts_ms\":0,\"value\":").endsWith("}]}");
            assertThat(encoder.size()).isEqualTo(m.seriesCount());
        }
    }
}
