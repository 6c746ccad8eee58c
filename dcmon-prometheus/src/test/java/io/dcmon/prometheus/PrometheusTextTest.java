package io.dcmon.prometheus;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    private static SeriesData series(long client, SeriesKey key, long ts, Number value) {
        return new SeriesData(client, key, List.of(new Point(ts, value)));
    }

    @Test
    void formatsFamiliesWithMetadataFleetLabelsAndTimestamps() {
        List<SeriesData> in = List.of(
                series(2, SeriesKey.of("node_load1"), 1_700_000_000_000L, 0.25),
                series(1, SeriesKey.of("node_cpu_seconds_total", "cpu", "all", "mode", "idle"), 1_700_000_000_500L, 123.5),
                series(1, SeriesKey.of("node_load1"), 1_700_000_000_000L, 1.5),
                series(1, SeriesKey.of("node_memory_total_bytes"), 1_700_000_000_000L, 25_276_026_880L));
        String text = PrometheusText.format(in, Map.of(1L, "gpu-01", 2L, "gpu-02"), MetricCatalog.builtIn());
        assertThat(text).isEqualTo("""
                # HELP node_cpu_seconds_total CPU time by mode, seconds; cpu="all" sums every CPU.
                # TYPE node_cpu_seconds_total counter
                node_cpu_seconds_total{client="1",cpu="all",instance="gpu-01",mode="idle"} 123.5 1700000000500
                # HELP node_load1 1-minute load average.
                # TYPE node_load1 gauge
                node_load1{client="1",instance="gpu-01"} 1.5 1700000000000
                node_load1{client="2",instance="gpu-02"} 0.25 1700000000000
                # HELP node_memory_total_bytes MemTotal, bytes.
                # TYPE node_memory_total_bytes gauge
                node_memory_total_bytes{client="1",instance="gpu-01"} 25276026880 1700000000000
                """);
    }

    @Test
    void escapesLabelValuesAndHelpAndWritesSpecialFloats() {
        MetricCatalog catalog = MetricCatalog.of(Map.of("custom_ratio",
                new MetricCatalog.Info("custom_ratio", MetricCatalog.Type.GAUGE, "a \\ backslash\nand a \"quote\"")));
        List<SeriesData> in = List.of(
                series(7, SeriesKey.of("custom_ratio", "path", "C:\\dir \"x\"\nnext"), 5, Double.NaN),
                series(7, SeriesKey.of("custom_ratio", "path", "plus"), 5, Double.POSITIVE_INFINITY),
                series(7, SeriesKey.of("custom_ratio", "path", "minus"), 5, Double.NEGATIVE_INFINITY),
                series(7, SeriesKey.of("custom_ratio", "path", "tiny"), 5, 1.0e-12));
        String text = PrometheusText.format(in, Map.of(7L, "host\"with\\odd\nname"), catalog);
        assertThat(text).isEqualTo("""
                # HELP custom_ratio a \\\\ backslash\\nand a "quote"
                # TYPE custom_ratio gauge
                custom_ratio{client="7",instance="host\\"with\\\\odd\\nname",path="C:\\\\dir \\"x\\"\\nnext"} NaN 5
                custom_ratio{client="7",instance="host\\"with\\\\odd\\nname",path="minus"} -Inf 5
                custom_ratio{client="7",instance="host\\"with\\\\odd\\nname",path="plus"} +Inf 5
                custom_ratio{client="7",instance="host\\"with\\\\odd\\nname",path="tiny"} 1.0E-12 5
                """);
    }

    @Test
    void unknownMetricsGetNoMetadataExceptCountersByTheirSuffix() {
        List<SeriesData> in = List.of(
                series(1, SeriesKey.of("site_widgets"), 1, 3L),
                series(1, SeriesKey.of("site_requests_total"), 1, 9L));
        String text = PrometheusText.format(in, Map.of(1L, "a"), MetricCatalog.of(Map.of()));
        assertThat(text).isEqualTo("""
                # TYPE site_requests_total counter
                site_requests_total{client="1",instance="a"} 9 1
                site_widgets{client="1",instance="a"} 3 1
                """);
    }

    @Test
    void ownInstanceAndClientLabelsAreKeptAsExportedAndUnknownClientsAreLeftOut() {
        List<SeriesData> in = List.of(
                series(1, SeriesKey.of("site_up", "instance", "db:5432", "client", "x"), 10, 1L),
                series(99, SeriesKey.of("site_up"), 10, 1L),
                new SeriesData(1, SeriesKey.of("site_down"), List.of()));
        String text = PrometheusText.format(in, Map.of(1L, ""), MetricCatalog.of(Map.of()));
        assertThat(text).isEqualTo("site_up{client=\"1\",exported_client=\"x\",exported_instance=\"db:5432\",instance=\"1\"} 1 10\n");
    }

    @Test
    void anEmptyFleetIsAnEmptyBody() {
        assertThat(PrometheusText.format(List.of(), Map.of(), MetricCatalog.builtIn())).isEmpty();
    }
}
