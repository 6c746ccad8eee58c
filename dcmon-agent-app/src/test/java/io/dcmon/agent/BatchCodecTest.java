package io.dcmon.agent;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.transport.wire.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming encoder writes what the transport module's wire model reads, value kinds included. */
class BatchCodecTest {

    final BatchCodec codec = new BatchCodec();

    @Test
    void encodedBatchDecodesToTheSameSamplesWithTheirValueKinds() throws Exception {
        List<Sample> samples = List.of(
                Sample.of(SeriesKey.of("node_memory_total_bytes"), 1_700_000_000_000L, 25_276_026_880L),
                Sample.of(SeriesKey.of("node_load1"), 1_700_000_000_001L, 0.5),
                Sample.of(SeriesKey.of("gpu_power_watts", "gpu", "0", "name", "H100 \"SXM\" ü\\"), 1_700_000_000_002L, 700.0),
                Sample.of(SeriesKey.of("odd_nan"), 1L, Double.NaN),
                Sample.of(SeriesKey.of("odd_inf", "sign", "+"), 2L, Double.POSITIVE_INFINITY),
                Sample.of(SeriesKey.of("odd_inf", "sign", "-"), 3L, Double.NEGATIVE_INFINITY),
                Sample.of(SeriesKey.of("tiny"), 4L, 1e-300),
                Sample.of(SeriesKey.of("negative_total"), 5L, -7L));

        List<Sample> back = codec.decode(codec.encode(samples));

        assertThat(back).containsExactlyInAnyOrderElementsOf(samples);
        assertThat(back).filteredOn(s -> s.metric().equals("gpu_power_watts")).singleElement()
                .satisfies(s -> assertThat(s.isIntegral()).as("700.0 stays a double").isFalse());
        assertThat(back).filteredOn(s -> s.metric().equals("node_memory_total_bytes")).singleElement()
                .satisfies(s -> assertThat(s.isIntegral()).isTrue());
    }

    @Test
    void bodyIsTheWireJsonGzipped() throws Exception {
        byte[] gz = codec.encode(List.of(Sample.of(SeriesKey.of("m", "k", "v"), 1234L, 5L)));
        String json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(json).isEqualTo("{\"samples\":[{\"metric\":\"m\",\"labels\":{\"k\":\"v\"},\"ts_ms\":1234,\"value\":5}]}");
        assertThat(Json.mapper().readTree(json).get("samples").get(0).get("value").isIntegralNumber()).isTrue();
    }
}
