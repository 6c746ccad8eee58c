package io.dcmon.agent.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dcmon.core.model.Sample;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.WireSample;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints what {@code collect --once} gathered: JSON for programs, a table for people. */
final class SampleOutput {

    private SampleOutput() {
    }

    static String json(List<Sample> samples, List<AgentCollectors.Status> availability) throws JsonProcessingException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("collectors", availability);
        doc.put("samples", samples.stream().map(WireSample::from).toList());
        return Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
    }

    static String table(List<Sample> samples, List<AgentCollectors.Status> availability) {
        StringBuilder sb = new StringBuilder();
        for (AgentCollectors.Status a : availability) {
            sb.append(String.format(Locale.ROOT, "# collector %-8s %s%n", a.name(),
                    a.available() ? "available" : "unavailable: " + a.reason()));
        }
        samples.stream().sorted(Comparator.comparing((Sample s) -> s.series().toString()))
                .forEach(s -> sb.append(s.series()).append(' ').append(plain(s.value())).append('\n'));
        return sb.toString();
    }

    private static String plain(Number v) {
        if (v instanceof Double d && Double.isFinite(d)) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }
}
