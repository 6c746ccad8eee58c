package io.dcmon.prometheus;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.SeriesData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Formats samples in the Prometheus text exposition format 0.0.4: one family per metric name (all its lines
 * together, as the format requires), {@code # HELP} and {@code # TYPE} where the {@link MetricCatalog} knows the
 * metric, the {@link FleetLabels} on every line and the sample's own timestamp in milliseconds, so Prometheus
 * stores when the agent measured, not when it scraped. Pure: no I/O, no clock.
 */
public final class PrometheusText {

    /** Content type of this format, for the HTTP response. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /**
     * The exposition of {@code series}, each with its newest point only.
     *
     * @param series    series with at least one point; the last point is exposed, series without points are skipped
     * @param hostnames client id to hostname, for the {@code instance} label; a series whose client is not in the map
     *                  is left out (a revoked or deleted machine)
     * @param catalog   metric metadata
     */
    public static String format(List<SeriesData> series, Map<Long, String> hostnames, MetricCatalog catalog) {
        List<SeriesData> sorted = new ArrayList<>(series.size());
        for (SeriesData s : series) {
            if (!s.points().isEmpty() && hostnames.containsKey(s.clientId())) {
                sorted.add(s);
            }
        }
        sorted.sort(Comparator.comparing((SeriesData s) -> s.series().metric())
                .thenComparingLong(SeriesData::clientId)
                .thenComparing(s -> s.series().labels().canonical()));
        StringBuilder out = new StringBuilder(sorted.size() * 96);
        String family = null;
        for (SeriesData s : sorted) {
            String metric = s.series().metric();
            if (!metric.equals(family)) {
                family = metric;
                Optional<MetricCatalog.Info> info = catalog.find(metric);
                if (info.isPresent()) {
                    if (!info.get().help().isEmpty()) {
                        out.append("# HELP ").append(metric).append(' ').append(escapeHelp(info.get().help())).append('\n');
                    }
                    out.append("# TYPE ").append(metric).append(' ').append(info.get().type().word()).append('\n');
                }
            }
            Point p = s.points().get(s.points().size() - 1);
            out.append(metric);
            appendLabels(out, FleetLabels.of(s.clientId(), hostnames.get(s.clientId()), s.series().labels()));
            out.append(' ').append(value(p.value())).append(' ').append(p.timestampMs()).append('\n');
        }
        return out.toString();
    }

    /** A value as the format writes it: integers as integers, {@code NaN}, {@code +Inf}, {@code -Inf}. */
    public static String value(Number v) {
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "NaN";
            }
            if (d.isInfinite()) {
                return d > 0 ? "+Inf" : "-Inf";
            }
            return Double.toString(d);
        }
        return Long.toString(v.longValue());
    }

    /** A label value escaped for the format: backslash, double quote and line feed. */
    public static String escapeLabelValue(String v) {
        StringBuilder b = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Help text escaped for the format: backslash and line feed (quotes stay as they are). */
    public static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static void appendLabels(StringBuilder out, Map<String, String> labels) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(e.getKey()).append("=\"").append(escapeLabelValue(e.getValue())).append('"');
        }
        out.append('}');
    }
}
