package io.dcmon.prometheus;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Encodes a Prometheus remote-write 1.0 request: a {@code prometheus.WriteRequest} protobuf, written field by field
 * (no generated code, so the build needs no protoc), compressed with snappy's block format as the protocol
 * requires. The messages, from Prometheus's {@code prompb}:
 *
 * <pre>
 * message WriteRequest { repeated TimeSeries timeseries = 1; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 * </pre>
 */
public final class RemoteWriteEncoder {

    private RemoteWriteEncoder() {
    }

    /**
     * One series of a request.
     *
     * @param labels  every label including {@code __name__}; written sorted by name, as receivers require
     * @param samples ascending by timestamp, as receivers require
     */
    public record Series(SortedMap<String, String> labels, List<TimedValue> samples) {
        public Series {
            Objects.requireNonNull(labels, "labels");
            if (!labels.containsKey("__name__")) {
                throw new IllegalArgumentException("series labels " + labels + " have no __name__");
            }
            samples = List.copyOf(samples);
        }
    }

    /**
     * One sample.
     *
     * @param timestampMs Unix epoch milliseconds
     * @param value       the value (integers become doubles on this protocol)
     */
    public record TimedValue(long timestampMs, double value) {
        /** Orders by time. */
        public static final Comparator<TimedValue> BY_TIME = Comparator.comparingLong(TimedValue::timestampMs);
    }

    /** The uncompressed protobuf bytes of the request. */
    public static byte[] protobuf(List<Series> series) {
        int size = 0;
        List<int[]> sizes = new ArrayList<>(series.size());
        for (Series s : series) {
            int[] sz = seriesSizes(s);
            sizes.add(sz);
            size += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(sz[0]) + sz[0];
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                int[] sz = sizes.get(i);
                o.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                o.writeUInt32NoTag(sz[0]);
                int k = 1;
                for (Map.Entry<String, String> l : s.labels().entrySet()) {
                    o.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    o.writeUInt32NoTag(sz[k++]);
                    o.writeString(1, l.getKey());
                    o.writeString(2, l.getValue());
                }
                for (TimedValue v : s.samples()) {
                    o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    o.writeUInt32NoTag(sampleSize(v));
                    o.writeDouble(1, v.value());
                    o.writeInt64(2, v.timestampMs());
                }
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("protobuf encoding into an exactly sized array failed", e);
        }
        return out;
    }

    /** The request body: the protobuf, snappy-compressed (block format, not framed). */
    public static byte[] encode(List<Series> series) {
        try {
            return Snappy.compress(protobuf(series));
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression of a remote-write request failed", e);
        }
    }

    /** [0] the TimeSeries body size, then one size per label message. */
    private static int[] seriesSizes(Series s) {
        int[] sz = new int[1 + s.labels().size()];
        int total = 0;
        int k = 1;
        for (Map.Entry<String, String> l : s.labels().entrySet()) {
            int ls = CodedOutputStream.computeStringSize(1, l.getKey()) + CodedOutputStream.computeStringSize(2, l.getValue());
            sz[k++] = ls;
            total += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(ls) + ls;
        }
        for (TimedValue v : s.samples()) {
            int vs = sampleSize(v);
            total += CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(vs) + vs;
        }
        sz[0] = total;
        return sz;
    }

    private static int sampleSize(TimedValue v) {
        return CodedOutputStream.computeDoubleSize(1, v.value()) + CodedOutputStream.computeInt64Size(2, v.timestampMs());
    }
}
