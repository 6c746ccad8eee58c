package io.dcmon.transport.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dcmon.transport.wire.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The security audit trail: one JSON object per line ({@code {"ts":"…","event":"register","client_id":7,…}}) to an
 * optional file and always to the SLF4J logger {@code dcmon.audit}. Callers pass only non-secret fields (ids, host
 * names, addresses, reasons); tokens, keys and signatures never reach it. Thread-safe.
 */
public final class AuditLog implements io.dcmon.core.port.AuditSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dcmon.audit");

    private final Clock clock;
    private final Path file;
    private Writer out;
    private boolean failed;

    private AuditLog(Clock clock, Path file) {
        this.clock = clock;
        this.file = file;
    }

    /**
     * An audit log appending to {@code file} (created if missing, parent directories too), or logging only when null.
     */
    public static AuditLog create(Clock clock, Path file) {
        return new AuditLog(Objects.requireNonNull(clock, "clock"), file);
    }

    /**
     * Records one event.
     *
     * @param event  what happened, e.g. {@code register}, {@code revoke}, {@code auth_failure}, {@code tls_setup}
     * @param fields non-secret details, written in the given order
     */
    public void record(String event, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", clock.instant().toString());
        line.put("event", event);
        line.putAll(fields);
        String json;
        try {
            json = Json.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            json = "{\"event\":\"" + event + "\",\"error\":\"unserializable fields\"}";
        }
        log.info("{}", json);
        if (file != null) {
            append(json);
        }
    }

    /** Fields in the given order from alternating names and values: {@code AuditLog.fields("client_id", 7, "by", "admin")}. */
    public static Map<String, Object> fields(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs; got " + namesAndValues.length + " items");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return m;
    }

    private synchronized void append(String json) {
        try {
            if (out == null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            out.write(json);
            out.write('\n');
            out.flush();
            if (failed) {
                failed = false;
                log.info("audit file {} is writable again", file);
            }
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                log.error("cannot append to the audit file {}: {}; events are still logged here. Check the disk and permissions",
                        file, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("closing the audit file {} failed: {}", file, e.toString());
            }
            out = null;
        }
    }
}
