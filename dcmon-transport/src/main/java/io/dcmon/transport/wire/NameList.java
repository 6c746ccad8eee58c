package io.dcmon.transport.wire;

import java.util.List;

/**
 * Answer to {@code GET /api/series/metrics} and {@code GET /api/series/label-values}: {@code {"values":["..",..]}}.
 *
 * @param values the names or label values, sorted
 */
public record NameList(List<String> values) {
    public NameList {
        values = values == null ? List.of() : List.copyOf(values);
    }
}
