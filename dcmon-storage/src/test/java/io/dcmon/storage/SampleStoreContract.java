package io.dcmon.storage;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.port.StoreStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behaviour every {@link SampleStore} must show. An implementation's test extends this and says how to
 * open a fresh store in a folder; the tests then run against it unchanged.
 */
public abstract class SampleStoreContract {

    /** Timestamps in these tests start here (epoch ms). */
    protected static final long T0 = 1_700_000_000_000L;

    @TempDir
    protected Path dir;
    protected StoreFixture fixture;
    protected SampleStore store;
    protected long client;

    /** A fresh, empty set of stores in {@code dir}. */
    protected abstract StoreFixture open(Path dir);

    @BeforeEach
    void openStore() {
        fixture = open(dir);
        store = fixture.samples();
        client = fixture.register("alpha");
    }

    @AfterEach
    void closeStore() {
        if (fixture != null) {
            fixture.close();
        }
    }

    protected static SeriesKey temp(String gpu) {
        return SeriesKey.of("gpu_temperature_celsius", "gpu", gpu);
    }

    protected List<Point> points(long clientId, SeriesKey key, long from, long to) {
        List<SeriesData> data = store.query(new SampleQuery(OptionalLong.of(clientId), key.metric(),
                key.labels().map(), from, to, SampleQuery.DEFAULT_LIMIT));
        return data.stream().filter(d -> d.series().equals(key)).findFirst().map(SeriesData::points).orElse(List.of());
    }

    @Test
    void appendReturnsTheNumberOfNewSamples() {
        List<Sample> batch = List.of(Sample.of(temp("0"), T0, 40L), Sample.of(temp("0"), T0 + 30_000, 41L),
                Sample.of(temp("1"), T0, 50L));
        assertThat(store.append(client, batch)).isEqualTo(3);
        assertThat(points(client, temp("0"), T0, T0 + 60_000)).containsExactly(new Point(T0, 40L), new Point(T0 + 30_000, 41L));
    }

    @Test
    void replayedBatchIsStoredOnceAndCountsZeroNew() {
        List<Sample> batch = List.of(Sample.of(temp("0"), T0, 40L), Sample.of(temp("0"), T0 + 30_000, 1.5));
        assertThat(store.append(client, batch)).isEqualTo(2);
        assertThat(store.append(client, batch)).isZero();
        assertThat(points(client, temp("0"), 0, Long.MAX_VALUE)).hasSize(2);
    }

    @Test
    void firstValueWinsForTheSameSeriesAndTimestamp() {
        store.append(client, List.of(Sample.of(temp("0"), T0, 40L)));
        assertThat(store.append(client, List.of(Sample.of(temp("0"), T0, 99L), Sample.of(temp("0"), T0, 7.5)))).isZero();
        assertThat(points(client, temp("0"), T0, T0)).containsExactly(new Point(T0, 40L));
    }

    @Test
    void duplicateInsideOneBatchIsStoredOnce() {
        assertThat(store.append(client, List.of(Sample.of(temp("0"), T0, 1L), Sample.of(temp("0"), T0, 1L)))).isEqualTo(1);
    }

    @Test
    void lateOutOfOrderSampleIsStoredAndReturnedInTimeOrder() {
        store.append(client, List.of(Sample.of(temp("0"), T0 + 60_000, 3L), Sample.of(temp("0"), T0 + 120_000, 4L)));
        assertThat(store.append(client, List.of(Sample.of(temp("0"), T0, 1L), Sample.of(temp("0"), T0 + 90_000, 2L)))).isEqualTo(2);
        assertThat(points(client, temp("0"), 0, Long.MAX_VALUE)).extracting(Point::timestampMs)
                .containsExactly(T0, T0 + 60_000, T0 + 90_000, T0 + 120_000);
    }

    @Test
    void integersComeBackAsLongAndRealsAsDouble() {
        SeriesKey bytes = SeriesKey.of("node_memory_total_bytes");
        SeriesKey load = SeriesKey.of("node_load1");
        store.append(client, List.of(Sample.of(bytes, T0, Long.MAX_VALUE), Sample.of(bytes, T0 + 1, Long.MIN_VALUE),
                Sample.of(bytes, T0 + 2, 0L), Sample.of(load, T0, 2.0), Sample.of(load, T0 + 1, 0.25)));
        assertThat(points(client, bytes, 0, Long.MAX_VALUE)).extracting(Point::value)
                .containsExactly(Long.MAX_VALUE, Long.MIN_VALUE, 0L).allMatch(v -> v instanceof Long);
        assertThat(points(client, load, 0, Long.MAX_VALUE)).extracting(Point::value)
                .containsExactly(2.0, 0.25).allMatch(v -> v instanceof Double);
    }

    @Test
    void nanAndInfinitiesRoundTrip() {
        SeriesKey k = SeriesKey.of("weird_ratio");
        store.append(client, List.of(Sample.of(k, T0, Double.NaN), Sample.of(k, T0 + 1, Double.POSITIVE_INFINITY),
                Sample.of(k, T0 + 2, Double.NEGATIVE_INFINITY), Sample.of(k, T0 + 3, Double.MIN_VALUE),
                Sample.of(k, T0 + 4, -Double.MAX_VALUE)));
        List<Point> p = points(client, k, 0, Long.MAX_VALUE);
        assertThat(p).extracting(Point::value).allMatch(v -> v instanceof Double);
        assertThat((Double) p.get(0).value()).isNaN();
        assertThat(p.subList(1, 5)).extracting(Point::value).containsExactly(Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE);
    }

    @Test
    void labelMatcherIsExactSoGpu1DoesNotMatchGpu10() {
        store.append(client, List.of(Sample.of(temp("1"), T0, 1L), Sample.of(temp("10"), T0, 10L),
                Sample.of(temp("11"), T0, 11L)));
        List<SeriesData> one = store.query(new SampleQuery(OptionalLong.of(client), "gpu_temperature_celsius",
                Map.of("gpu", "1"), 0, Long.MAX_VALUE, 100));
        assertThat(one).singleElement().satisfies(d -> {
            assertThat(d.series()).isEqualTo(temp("1"));
            assertThat(d.points()).containsExactly(new Point(T0, 1L));
        });
    }

    @Test
    void matcherSelectsAmongSeriesWithMoreLabelsAndMissingLabelMatchesNothing() {
        SeriesKey a = SeriesKey.of("node_filesystem_avail_bytes", "mount", "/", "device", "sda1");
        SeriesKey b = SeriesKey.of("node_filesystem_avail_bytes", "mount", "/data", "device", "sdb1");
        store.append(client, List.of(Sample.of(a, T0, 1L), Sample.of(b, T0, 2L)));
        assertThat(store.query(new SampleQuery(OptionalLong.of(client), a.metric(), Map.of("mount", "/data"), 0, T0, 10)))
                .extracting(SeriesData::series).containsExactly(b);
        assertThat(store.query(new SampleQuery(OptionalLong.of(client), a.metric(), Map.of(), 0, T0, 10))).hasSize(2);
        assertThat(store.query(new SampleQuery(OptionalLong.of(client), a.metric(), Map.of("fstype", ""), 0, T0, 10))).isEmpty();
        assertThat(store.query(new SampleQuery(OptionalLong.of(client), a.metric(), Map.of("no-such name", "x"), 0, T0, 10))).isEmpty();
    }

    /** gpu 0, 1, 10, 11 and one series of the same metric without the gpu label. */
    private void fourGpusAndOneWithoutTheLabel() {
        store.append(client, List.of(Sample.of(temp("0"), T0, 0L), Sample.of(temp("1"), T0, 1L),
                Sample.of(temp("10"), T0, 10L), Sample.of(temp("11"), T0, 11L),
                Sample.of(SeriesKey.of("gpu_temperature_celsius", "sensor", "board"), T0, 99L)));
    }

    private List<String> gpusMatching(LabelMatcher... matchers) {
        SampleQuery q = new SampleQuery(OptionalLong.of(client), "gpu_temperature_celsius", Map.of(), 0, T0, 10)
                .withMatchers(List.of(matchers));
        return store.query(q).stream().map(d -> String.valueOf(d.series().labels().get("gpu"))).toList();
    }

    @Test
    void regexMatchersAreAnchoredJavaRegexes() {
        fourGpusAndOneWithoutTheLabel();
        assertThat(gpusMatching(LabelMatcher.regex("gpu", "1"))).containsExactly("1");
        assertThat(gpusMatching(LabelMatcher.regex("gpu", "1.*"))).containsExactly("1", "10", "11");
        assertThat(gpusMatching(LabelMatcher.regex("gpu", "0|11"))).containsExactly("0", "11");
        assertThat(gpusMatching(LabelMatcher.regex("gpu", "\\d{2}"))).containsExactly("10", "11");
        assertThat(gpusMatching(LabelMatcher.regex("gpu", "1.*"), LabelMatcher.of("gpu", LabelMatcher.Op.NE, "10")))
                .containsExactly("1", "11");
    }

    @Test
    void negativeAndEmptyMatchersFollowPrometheusForMissingLabels() {
        fourGpusAndOneWithoutTheLabel();
        // a series without the label reads as gpu="" (the null below is that series)
        assertThat(gpusMatching(LabelMatcher.of("gpu", LabelMatcher.Op.NE, "0"))).containsExactlyInAnyOrder("1", "10", "11", "null");
        assertThat(gpusMatching(LabelMatcher.of("gpu", LabelMatcher.Op.NRE, "1.*"))).containsExactlyInAnyOrder("0", "null");
        assertThat(gpusMatching(LabelMatcher.regex("gpu", ".+"))).containsExactly("0", "1", "10", "11");
        assertThat(gpusMatching(LabelMatcher.regex("gpu", ".*"))).hasSize(5);
        assertThat(gpusMatching(LabelMatcher.equal("gpu", ""))).containsExactly("null");
        assertThat(gpusMatching(LabelMatcher.equal("gpu", "10"))).containsExactly("10");
        // the exact labels map keeps its meaning beside matchers: a label the series lacks matches nothing
        SampleQuery both = new SampleQuery(OptionalLong.of(client), "gpu_temperature_celsius", Map.of("gpu", "10"), 0, T0, 10,
                List.of(LabelMatcher.regex("gpu", "1.")));
        assertThat(store.query(both)).extracting(SeriesData::series).containsExactly(temp("10"));
        SampleQuery conflicting = both.withMatchers(List.of(LabelMatcher.equal("gpu", "11")));
        assertThat(store.query(conflicting)).isEmpty();
    }

    @Test
    void matchersApplyToDownsampledRateAndSeriesListings() {
        fourGpusAndOneWithoutTheLabel();
        store.append(client, List.of(Sample.of(temp("10"), T0 + 60_000, 70L), Sample.of(temp("0"), T0 + 60_000, 60L)));
        long other = fixture.register("beta");
        store.append(other, List.of(Sample.of(temp("12"), T0, 5L)));
        SampleQuery q = new SampleQuery(OptionalLong.empty(), "gpu_temperature_celsius", Map.of(), T0, T0 + 60_000, 100,
                List.of(LabelMatcher.regex("gpu", "1[02]")));
        assertThat(store.query(q, 60_000, Aggregation.MAX)).extracting(d -> d.clientId() + ":" + d.series().labels().get("gpu"))
                .containsExactly(client + ":10", other + ":12");
        assertThat(store.query(q, 120_000, Aggregation.MAX).get(0).points()).containsExactly(new Point(T0, 70L));
        assertThat(store.rate(q, 60_000)).extracting(d -> d.series().labels().get("gpu")).containsExactly("10", "12");
        assertThat(store.findSeries(OptionalLong.empty(), Optional.of("gpu_temperature_celsius"), q.matchers()))
                .containsExactly(new ClientSeries(client, temp("10")), new ClientSeries(other, temp("12")));
        assertThat(store.findSeries(OptionalLong.of(other), Optional.empty(), List.of()))
                .containsExactly(new ClientSeries(other, temp("12")));
        assertThat(store.metrics(OptionalLong.empty())).containsExactly("gpu_temperature_celsius");
        assertThat(store.labelValues("gpu_temperature_celsius", "gpu", OptionalLong.of(client))).containsExactly("0", "1", "10", "11");
        assertThat(store.labelValues("gpu_temperature_celsius", "gpu", OptionalLong.empty())).containsExactly("0", "1", "10", "11", "12");
    }

    @Test
    void labelsWithQuotesCommasAndUnicodeComeBackParsed() {
        Labels odd = Labels.of("path", "/mnt/a \"b\",c=d\\e", "name", "Grüße\n😀");
        SeriesKey k = new SeriesKey("odd_metric", odd);
        store.append(client, List.of(Sample.of(k, T0, 5L)));
        List<SeriesData> found = store.query(new SampleQuery(OptionalLong.of(client), "odd_metric",
                Map.of("path", "/mnt/a \"b\",c=d\\e"), 0, T0, 10));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.series().labels()).isEqualTo(odd);
            assertThat(d.clientId()).isEqualTo(client);
        });
    }

    @Test
    void limitKeepsTheNewestPointsAscending() {
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(Sample.of(temp("0"), T0 + i * 1000L, (long) i));
        }
        store.append(client, batch);
        List<SeriesData> d = store.query(new SampleQuery(OptionalLong.of(client), "gpu_temperature_celsius",
                Map.of(), 0, Long.MAX_VALUE, 3));
        assertThat(d.get(0).points()).extracting(Point::value).containsExactly(7L, 8L, 9L);
    }

    @Test
    void timeRangeIsInclusiveAtBothEnds() {
        store.append(client, List.of(Sample.of(temp("0"), T0 - 1, 0L), Sample.of(temp("0"), T0, 1L),
                Sample.of(temp("0"), T0 + 10, 2L), Sample.of(temp("0"), T0 + 11, 3L)));
        assertThat(points(client, temp("0"), T0, T0 + 10)).extracting(Point::value).containsExactly(1L, 2L);
    }

    @Test
    void queryCoversOneClientOrAllClients() {
        long other = fixture.register("beta");
        store.append(client, List.of(Sample.of(temp("0"), T0, 1L)));
        store.append(other, List.of(Sample.of(temp("0"), T0, 2L)));
        List<SeriesData> all = store.query(new SampleQuery(OptionalLong.empty(), "gpu_temperature_celsius",
                Map.of("gpu", "0"), 0, T0, 10));
        assertThat(all).extracting(SeriesData::clientId).containsExactlyInAnyOrder(client, other);
        assertThat(store.query(new SampleQuery(OptionalLong.of(other), "gpu_temperature_celsius", Map.of(), 0, T0, 10)))
                .singleElement().satisfies(d -> assertThat(d.points()).containsExactly(new Point(T0, 2L)));
    }

    @Test
    void unknownMetricGivesNoSeries() {
        assertThat(store.query(SampleQuery.of(client, "never_written", 0, Long.MAX_VALUE))).isEmpty();
    }

    @Test
    void appendForAnUnregisteredClientIsRefusedAndStoresNothing() {
        assertThatThrownBy(() -> store.append(999_999, List.of(Sample.of(temp("0"), T0, 1L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999999");
        assertThat(store.query(new SampleQuery(OptionalLong.empty(), "gpu_temperature_celsius", Map.of(), 0,
                Long.MAX_VALUE, 10))).isEmpty();
    }

    @Test
    void concurrentAppendsFromManyThreadsAreAllStored() throws Exception {
        int threads = 16;
        int batches = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SeriesKey key = SeriesKey.of("concurrent_total", "thread", Integer.toString(t));
                results.add(pool.submit(() -> {
                    int stored = 0;
                    for (int b = 0; b < batches; b++) {
                        List<Sample> batch = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            batch.add(Sample.of(key, T0 + b * 10_000L + i, (long) b * 10 + i));
                        }
                        stored += store.append(client, batch);
                        // readers run beside the writers
                        store.query(new SampleQuery(OptionalLong.of(client), "concurrent_total", key.labels().map(),
                                T0, T0 + 1_000_000, 5));
                    }
                    return stored;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(threads * batches * 10);
        } finally {
            pool.shutdownNow();
        }
        List<SeriesData> all = store.query(new SampleQuery(OptionalLong.of(client), "concurrent_total", Map.of(), 0,
                Long.MAX_VALUE, SampleQuery.DEFAULT_LIMIT));
        assertThat(all).hasSize(threads).allSatisfy(d -> assertThat(d.points()).hasSize(batches * 10));
    }

    @Test
    void latestOfMetricsEqualsTheLatestOfEachMetricInOneRead() {
        long beta = fixture.register("beta");
        SeriesKey load = SeriesKey.of("node_load1");
        SeriesKey other = SeriesKey.of("node_other");
        store.append(client, List.of(Sample.of(temp("0"), T0, 40L), Sample.of(temp("0"), T0 + 30_000, 41L),
                Sample.of(temp("1"), T0, 1.5), Sample.of(load, T0, 0.5), Sample.of(other, T0, 9L)));
        store.append(beta, List.of(Sample.of(temp("0"), T0 + 60_000, Double.NaN), Sample.of(load, T0 + 30_000, 2L)));
        // a late sample older than the newest does not become the latest
        store.append(client, List.of(Sample.of(temp("0"), T0 - 30_000, 99L)));

        List<SeriesData> both = store.latestOfMetrics(Set.of("gpu_temperature_celsius", "node_load1", "no_such_metric"));

        List<SeriesData> expected = new ArrayList<>();
        expected.addAll(store.latest(OptionalLong.empty(), Optional.of("gpu_temperature_celsius"), Map.of()));
        expected.addAll(store.latest(OptionalLong.empty(), Optional.of("node_load1"), Map.of()));
        assertThat(both).containsExactlyInAnyOrderElementsOf(expected).hasSize(5);
        assertThat(both).noneMatch(d -> d.series().equals(other));
        assertThat(both).filteredOn(d -> d.clientId() == client && d.series().equals(temp("0")))
                .singleElement().extracting(SeriesData::points).isEqualTo(List.of(new Point(T0 + 30_000, 41L)));
        assertThat(both).filteredOn(d -> d.clientId() == beta && d.series().equals(temp("0")))
                .singleElement().satisfies(d -> assertThat(d.points().get(0).value().doubleValue()).isNaN());
        // ordered by client, then metric
        assertThat(both.stream().map(d -> d.clientId() + "/" + d.series().metric()).toList())
                .isSortedAccordingTo(java.util.Comparator.comparing((String k) -> Long.parseLong(k.substring(0, k.indexOf('/'))))
                        .thenComparing(k -> k.substring(k.indexOf('/') + 1)));
        assertThat(store.latestOfMetrics(Set.of())).isEmpty();
    }

    @Test
    void latestOfMetricsFollowsAppendsAfterTheFirstRead() {
        long beta = fixture.register("beta");
        Set<String> metrics = Set.of("gpu_temperature_celsius", "node_load1");
        store.append(client, List.of(Sample.of(temp("0"), T0, 40L)));
        assertThat(store.latestOfMetrics(metrics)).hasSize(1);

        store.append(client, List.of(Sample.of(temp("0"), T0 + 30_000, 41L), Sample.of(temp("1"), T0, 1.5)));
        store.append(client, List.of(Sample.of(temp("0"), T0 + 30_000, 77L))); // replay, new value: first one wins
        store.append(client, List.of(Sample.of(temp("0"), T0 - 30_000, 12L))); // late: not the latest
        store.append(beta, List.of(Sample.of(SeriesKey.of("node_load1"), T0, Double.POSITIVE_INFINITY)));
        store.append(beta, List.of(Sample.of(SeriesKey.of("other_metric"), T0, 1L)));

        List<SeriesData> expected = new ArrayList<>();
        expected.addAll(store.latest(OptionalLong.empty(), Optional.of("gpu_temperature_celsius"), Map.of()));
        expected.addAll(store.latest(OptionalLong.empty(), Optional.of("node_load1"), Map.of()));
        List<SeriesData> now = store.latestOfMetrics(metrics);
        assertThat(now).containsExactlyInAnyOrderElementsOf(expected).hasSize(3);
        assertThat(now).filteredOn(d -> d.series().equals(temp("0"))).singleElement()
                .extracting(SeriesData::points).isEqualTo(List.of(new Point(T0 + 30_000, 41L)));
    }

    @Test
    void statsCountSeriesSamplesAndTheOldestSample() {
        StoreStats empty = fixture.monitor().stats();
        assertThat(empty.series()).isZero();
        assertThat(empty.samples()).isZero();
        assertThat(empty.oldestSample()).isNull();
        assertThat(empty.databaseBytes()).isPositive();

        store.append(client, List.of(Sample.of(temp("0"), T0, 40L), Sample.of(temp("0"), T0 + 30_000, 41L),
                Sample.of(temp("1"), T0 + 30_000, 1.5)));
        store.append(client, List.of(Sample.of(temp("0"), T0, 40L))); // a replay adds nothing

        StoreStats after = fixture.monitor().stats();
        assertThat(after.series()).isEqualTo(2);
        assertThat(after.samples()).isEqualTo(3);
        assertThat(after.oldestSample()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(after.ingestPerSecond()).isPositive();
        assertThat(after.writeQueueDepth()).isGreaterThanOrEqualTo(0);
    }
}
