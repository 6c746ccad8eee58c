package io.dcmon.prometheus;

import com.google.protobuf.CodedInputStream;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a remote-write body back, field by field, as a receiver would (tests only). */
final class RemoteWriteDecoder {

    /** One decoded series: labels in wire order and samples as [timestamp, value]. */
    record Decoded(Map<String, String> labels, List<double[]> samples) {
    }

    private RemoteWriteDecoder() {
    }

    static List<Decoded> decode(byte[] snappyBody) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(Snappy.uncompress(snappyBody));
        List<Decoded> out = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag >>> 3 != 1) {
                throw new IOException("unexpected WriteRequest field " + (tag >>> 3));
            }
            CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
            Map<String, String> labels = new LinkedHashMap<>();
            List<double[]> samples = new ArrayList<>();
            int t;
            while ((t = ts.readTag()) != 0) {
                CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
                if (t >>> 3 == 1) {
                    String name = null;
                    String value = null;
                    int f;
                    while ((f = m.readTag()) != 0) {
                        if (f >>> 3 == 1) {
                            name = m.readString();
                        } else {
                            value = m.readString();
                        }
                    }
                    labels.put(name, value);
                } else if (t >>> 3 == 2) {
                    double value = 0;
                    long ts2 = 0;
                    int f;
                    while ((f = m.readTag()) != 0) {
                        if (f >>> 3 == 1) {
                            value = m.readDouble();
                        } else {
                            ts2 = m.readInt64();
                        }
                    }
                    samples.add(new double[]{ts2, value});
                } else {
                    throw new IOException("unexpected TimeSeries field " + (t >>> 3));
                }
            }
            out.add(new Decoded(labels, samples));
        }
        return out;
    }
}
