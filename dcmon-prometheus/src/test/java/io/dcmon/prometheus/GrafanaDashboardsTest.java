package io.dcmon.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The importable dashboards in docs/: valid JSON, a Prometheus datasource variable used by every panel and query,
 * and only metric names dcmon emits (the catalog, itself checked against the collectors by MetricCatalogTest).
 */
class GrafanaDashboardsTest {

    /** Identifiers with an underscore in PromQL: metric names, except these functions. */
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_$\"{])([a-z][a-z0-9]*_[a-z0-9_]+)(?![\"A-Za-z0-9_]*=)");
    private static final Set<String> NOT_METRICS = Set.of("label_values", "count_values", "quantile_over_time",
            "avg_over_time", "max_over_time", "min_over_time");

    static JsonNode dashboard(String file) throws Exception {
        return new ObjectMapper().readTree(Files.readString(Path.of("..", "docs", file)));
    }

    static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            for (JsonNode t : p.get("targets")) {
                out.add(t.get("expr").asText());
            }
        }
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.get("type").asText().equals("query")) {
                out.add(v.get("definition").asText());
            }
        }
        return out;
    }

    static Set<String> metrics(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(expr);
        while (m.find()) {
            if (!NOT_METRICS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"grafana-dcmon-fleet.json", "grafana-dcmon-machine.json"})
    void everyPanelUsesTheDatasourceVariableAndOnlyMetricsDcmonEmits(String file) throws Exception {
        JsonNode d = dashboard(file);
        assertThat(d.get("uid").asText()).startsWith("dcmon-");
        JsonNode ds = null;
        for (JsonNode v : d.get("templating").get("list")) {
            if (v.get("type").asText().equals("datasource")) {
                ds = v;
            }
        }
        assertThat(ds).as("a datasource variable").isNotNull();
        assertThat(ds.get("name").asText()).isEqualTo("datasource");
        assertThat(ds.get("query").asText()).isEqualTo("prometheus");
        assertThat(d.get("panels")).hasSizeGreaterThanOrEqualTo(8);
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode p : d.get("panels")) {
            assertThat(ids.add(p.get("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(p.get("datasource").get("uid").asText()).as(p.get("title").asText()).isEqualTo("${datasource}");
            assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
            for (JsonNode t : p.get("targets")) {
                assertThat(t.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
            }
        }
        Set<String> used = new TreeSet<>();
        for (String e : expressions(d)) {
            Set<String> m = metrics(e);
            assertThat(m).as("metric names in %s", e).isNotEmpty();
            used.addAll(m);
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(MetricCatalog.builtIn().entries().keySet());
        assertThat(unknown).as("metrics in %s that dcmon does not emit", file).isEmpty();
        assertThat(used).hasSizeGreaterThanOrEqualTo(10);
    }

    @org.junit.jupiter.api.Test
    void theMetricNameScannerSeesMetricsNotLabelsOrFunctions() {
        assertThat(metrics("sum by (instance) (rate(node_cpu_seconds_total{mode=\"idle\",cpu=\"all\",instance=~\"$instance\"}[5m]))"))
                .containsExactly("node_cpu_seconds_total");
        assertThat(metrics("label_values(node_load1, instance)")).containsExactly("node_load1");
        assertThat(metrics("count(ipmi_sensor_status{x_y=\"a_b\"} > 0) or vector(0)")).containsExactly("ipmi_sensor_status");
    }
}
