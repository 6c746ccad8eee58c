package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Body of {@code POST /api/metrics}: {@code {"samples":[WireSample...]}}, usually sent gzip-compressed.
 *
 * @param samples the batch, in any order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetricsBatch(List<WireSample> samples) {
    public MetricsBatch {
        // Collections.unmodifiableList instead of List.copyOf: a null element must reach the server's
        // per-sample check (which names its index) rather than fail the whole body here
        samples = samples == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(samples));
    }
}
