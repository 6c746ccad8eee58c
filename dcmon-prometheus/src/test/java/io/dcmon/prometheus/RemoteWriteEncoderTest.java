package io.dcmon.prometheus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteWriteEncoderTest {

    @Test
    void encodesSortedLabelsAndSamplesThatDecodeBack() throws Exception {
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("instance", "gpu-01 \"ü\"");
        labels.put("__name__", "node_load1");
        labels.put("client", "3");
        RemoteWriteEncoder.Series s = new RemoteWriteEncoder.Series(labels, List.of(
                new RemoteWriteEncoder.TimedValue(1_700_000_000_000L, 1.5),
                new RemoteWriteEncoder.TimedValue(1_700_000_030_000L, Double.NaN),
                new RemoteWriteEncoder.TimedValue(1_700_000_060_000L, 0.0)));
        TreeMap<String, String> other = new TreeMap<>();
        other.put("__name__", "up");
        List<RemoteWriteDecoder.Decoded> d = RemoteWriteDecoder.decode(RemoteWriteEncoder.encode(List.of(s,
                new RemoteWriteEncoder.Series(other, List.of(new RemoteWriteEncoder.TimedValue(0, -2))))));
        assertThat(d).hasSize(2);
        assertThat(d.get(0).labels()).containsExactly(
                org.assertj.core.api.Assertions.entry("__name__", "node_load1"),
                org.assertj.core.api.Assertions.entry("client", "3"),
                org.assertj.core.api.Assertions.entry("instance", "gpu-01 \"ü\""));
        assertThat(d.get(0).samples()).hasSize(3);
        assertThat(d.get(0).samples().get(0)).containsExactly(1_700_000_000_000d, 1.5);
        assertThat(d.get(0).samples().get(1)[1]).isNaN();
        assertThat(d.get(0).samples().get(2)).containsExactly(1_700_000_060_000d, 0.0);
        assertThat(d.get(1).samples().get(0)).containsExactly(0d, -2d);
    }

    @Test
    void theBodyIsSnappyBlockFormatNotFramed() {
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("__name__", "up");
        byte[] proto = RemoteWriteEncoder.protobuf(List.of(new RemoteWriteEncoder.Series(labels,
                List.of(new RemoteWriteEncoder.TimedValue(1, 1)))));
        byte[] body = RemoteWriteEncoder.encode(List.of(new RemoteWriteEncoder.Series(labels,
                List.of(new RemoteWriteEncoder.TimedValue(1, 1)))));
        // the block format starts with the uncompressed length as a varint; the framed format with 0xff "sNaPpY"
        assertThat(body[0] & 0xff).isEqualTo(proto.length);
        assertThat(body[0] & 0xff).isNotEqualTo(0xff);
    }

    @Test
    void aSeriesNeedsAName() {
        assertThatThrownBy(() -> new RemoteWriteEncoder.Series(new TreeMap<>(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__name__");
    }
}
