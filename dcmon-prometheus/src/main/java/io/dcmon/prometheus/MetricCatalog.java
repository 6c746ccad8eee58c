package io.dcmon.prometheus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What dcmon knows about the metrics its collectors emit: type (counter or gauge) and help text, for the
 * {@code # HELP} and {@code # TYPE} lines of the exposition. The list is {@code metrics.tsv} beside this class;
 * a test checks each name against the names the collectors really emit. A metric not listed (a custom
 * collector's) gets no metadata, except that a name ending in {@code _total} is typed as a counter, the
 * Prometheus naming convention dcmon follows.
 */
public final class MetricCatalog {

    /** Prometheus metric types dcmon uses. */
    public enum Type {
        /** Only goes up (resets at restart); chart its rate. */
        COUNTER,
        /** Goes up and down. */
        GAUGE;

        /** The word in a {@code # TYPE} line. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Metadata of one metric.
     *
     * @param name metric name
     * @param type counter or gauge
     * @param help one line of help text, may be empty
     */
    public record Info(String name, Type type, String help) {
        public Info {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            help = help == null ? "" : help;
        }
    }

    private static final MetricCatalog BUILT_IN = load("metrics.tsv");

    private final Map<String, Info> byName;

    private MetricCatalog(Map<String, Info> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The catalog of dcmon's own collectors. */
    public static MetricCatalog builtIn() {
        return BUILT_IN;
    }

    /** A catalog of exactly these entries (tests, embedders with their own collectors). */
    public static MetricCatalog of(Map<String, Info> entries) {
        return new MetricCatalog(new LinkedHashMap<>(entries));
    }

    /** Every listed metric, in file order. */
    public Map<String, Info> entries() {
        return byName;
    }

    /** Metadata of {@code metric}: listed, or a counter by its {@code _total} suffix, or empty. */
    public Optional<Info> find(String metric) {
        Info i = byName.get(metric);
        if (i != null) {
            return Optional.of(i);
        }
        return metric.endsWith("_total") ? Optional.of(new Info(metric, Type.COUNTER, "")) : Optional.empty();
    }

    private static MetricCatalog load(String resource) {
        try (InputStream in = MetricCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the dcmon-prometheus jar; rebuild it");
            }
            Map<String, Info> m = new LinkedHashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                if (f.length != 3) {
                    throw new IllegalStateException(resource + " line " + n + " has " + f.length
                            + " tab-separated fields; it needs name, type and help");
                }
                Info i = new Info(f[0], Type.valueOf(f[1].toUpperCase(Locale.ROOT)), f[2]);
                if (m.put(i.name(), i) != null) {
                    throw new IllegalStateException(resource + " line " + n + " lists " + i.name() + " a second time");
                }
            }
            return new MetricCatalog(m);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }
}
