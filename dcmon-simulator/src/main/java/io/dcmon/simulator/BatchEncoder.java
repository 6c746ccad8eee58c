package io.dcmon.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.core.model.SeriesKey;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one agent's {@code POST /api/metrics} body (the {@code MetricsBatch} JSON, gzip-compressed) without
 * building {@code Sample} or {@code WireSample} objects: the part of each sample that never changes
 * ({@code {"metric":..,"labels":{..},"ts_ms":}) is encoded once per agent, and each push only appends the
 * timestamp and the values. The result is byte-for-byte the JSON shape the real agent sends (Jackson writes the
 * template, so names and labels are escaped the same way; values as {@code SampleValues} writes them), so the
 * server does exactly the work it does for real agents while the simulator spends as little of the shared CPU as
 * it can. One encoder per agent (immutable, shareable); the mutable buffers live in a {@link Scratch} per thread.
 */
public final class BatchEncoder {

    private static final byte[] OPEN = "{\"samples\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = ",\"value\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final byte[][] prefixes;

    /**
     * @param keys the agent's series, in the order {@link MachineModel#advance} writes their values
     */
    public BatchEncoder(List<SeriesKey> keys) {
        ObjectMapper json = new ObjectMapper();
        prefixes = new byte[keys.size()][];
        for (int i = 0; i < keys.size(); i++) {
            SeriesKey k = keys.get(i);
            try {
                prefixes[i] = ("{\"metric\":" + json.writeValueAsString(k.metric()) + ",\"labels\":"
                        + json.writeValueAsString(k.labels().map()) + ",\"ts_ms\":").getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("could not encode series " + k + ": " + e.getMessage(), e);
            }
        }
    }

    /** Number of samples in each batch. */
    public int size() {
        return prefixes.length;
    }

    /**
     * Moves {@code model} on by one cycle and returns the gzip-compressed JSON of the cycle's batch.
     *
     * @param model          the agent's machine (its {@link MachineModel#keys()} are this encoder's)
     * @param timestampMs    the batch's timestamp
     * @param elapsedSeconds seconds since the previous cycle
     * @param scratch        this thread's buffers
     * @return a new array holding exactly the body
     */
    public byte[] gzipBatch(MachineModel model, long timestampMs, double elapsedSeconds, Scratch scratch) {
        int len = json(model, timestampMs, elapsedSeconds, scratch);
        return scratch.gzip(len);
    }

    /**
     * Moves {@code model} on by one cycle and writes the plain JSON of the batch into {@code scratch}.
     *
     * @return the JSON's length in {@link Scratch#json()}
     */
    public int json(MachineModel model, long timestampMs, double elapsedSeconds, Scratch scratch) {
        scratch.reset();
        scratch.put(OPEN);
        scratch.ts = timestampMs;
        scratch.prefixes = prefixes;
        scratch.index = 0;
        model.advance(elapsedSeconds, scratch);
        if (scratch.index != prefixes.length) {
            throw new IllegalStateException("the model wrote " + scratch.index + " values but this encoder has " + prefixes.length
                    + " series: pair each agent's encoder with its own model");
        }
        scratch.put(CLOSE);
        return scratch.len;
    }

    /**
     * Per-thread buffers: the JSON being written, a reused {@link Deflater} (creating one per request costs a
     * zlib state of ~256 KB of native memory) and the compressed output. Not thread-safe.
     */
    public static final class Scratch implements MachineModel.ValueSink, AutoCloseable {
        private byte[] buf = new byte[64 * 1024];
        private int len;
        private byte[] out = new byte[16 * 1024];
        private final byte[] digits = new byte[20];
        private final Deflater deflater;
        private final CRC32 crc = new CRC32();
        private byte[][] prefixes;
        private int index;
        private long ts;

        /** Buffers compressing at the JDK's default level (6), the agent's. */
        public Scratch() {
            this(Deflater.DEFAULT_COMPRESSION);
        }

        /** @param gzipLevel zlib level, 1 (fastest) to 9 (smallest) */
        public Scratch(int gzipLevel) {
            deflater = new Deflater(gzipLevel, true);
        }

        /** The JSON buffer (valid up to the length {@link BatchEncoder#json} returned). */
        public byte[] json() {
            return buf;
        }

        void reset() {
            len = 0;
        }

        @Override
        public void longValue(long v) {
            begin();
            putLong(v);
            put((byte) '}');
        }

        @Override
        public void doubleValue(double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the model produced " + v + "; the simulator writes finite values only");
            }
            begin();
            // Double.toString always has a '.' or an exponent, so the server reads it back as a double, as SampleValues writes it
            String s = Double.toString(v);
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            put((byte) '}');
        }

        private void begin() {
            if (index > 0) {
                put((byte) ',');
            }
            put(prefixes[index++]);
            putLong(ts);
            put(VALUE);
        }

        private void putLong(long v) {
            if (v == Long.MIN_VALUE) {
                put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            ensure(20);
            if (v < 0) {
                buf[len++] = '-';
                v = -v;
            }
            int n = 0;
            do {
                digits[n++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
            while (n > 0) {
                buf[len++] = digits[--n];
            }
        }

        private void put(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        /** gzip (RFC 1952) of the first {@code n} JSON bytes, in a new array of exactly its length. */
        byte[] gzip(int n) {
            deflater.reset();
            deflater.setInput(buf, 0, n);
            deflater.finish();
            crc.reset();
            crc.update(buf, 0, n);
            int pos = GZIP_HEADER.length;
            System.arraycopy(GZIP_HEADER, 0, out, 0, pos);
            while (!deflater.finished()) {
                if (pos == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                pos += deflater.deflate(out, pos, out.length - pos);
            }
            byte[] body = Arrays.copyOf(out, pos + 8);
            int c = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                body[pos + i] = (byte) (c >>> (8 * i));
                body[pos + 4 + i] = (byte) (n >>> (8 * i));
            }
            return body;
        }

        /** Frees the deflater's native memory. */
        @Override
        public void close() {
            deflater.end();
        }
    }
}
