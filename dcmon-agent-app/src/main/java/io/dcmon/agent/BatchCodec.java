package io.dcmon.agent;

import io.dcmon.core.model.Sample;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsBatch;
import io.dcmon.transport.wire.WireSample;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Spooled batches on disk: the wire JSON of a batch, gzip-compressed. */
final class BatchCodec {

    byte[] encode(List<Sample> samples) throws IOException {
        List<WireSample> wire = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            wire.add(WireSample.from(s));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + samples.size() * 24);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            Json.mapper().writeValue(gz, new MetricsBatch(wire));
        }
        return out.toByteArray();
    }

    List<Sample> decode(byte[] data) throws IOException {
        MetricsBatch batch;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            batch = Json.mapper().readValue(in, MetricsBatch.class);
        }
        List<Sample> out = new ArrayList<>(batch.samples().size());
        try {
            for (WireSample w : batch.samples()) {
                out.add(w.toCore());
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("spooled batch holds an invalid sample: " + e.getMessage(), e);
        }
        return out;
    }
}
