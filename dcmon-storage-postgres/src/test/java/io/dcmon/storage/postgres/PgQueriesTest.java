package io.dcmon.storage.postgres;

import io.dcmon.core.port.Aggregation;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.StoredSeries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Downsampling, rate, latest values and listings of {@link PostgresStorage} (the same cases as SQLite's SqliteQueriesTest). */
class PgQueriesTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final SeriesKey TEMP = SeriesKey.of("gpu_temperature_celsius", "gpu", "0");
    private static final SeriesKey BYTES = SeriesKey.of("node_network_receive_bytes_total", "device", "eth0");

    @TempDir
    Path dir;
    PostgresStorage storage;
    private TestDatabase.Server server;
    private String schema;
    long client;

    @BeforeEach
    void open() {
        server = TestDatabase.require();
        schema = TestDatabase.freshSchema("q");
        storage = PostgresStorage.open(TestDatabase.config(server, dir, schema));
        client = register("alpha");
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
            TestDatabase.drop(server, schema);
        }
    }

    private long register(String name) {
        return storage.upsert(name, "machine-" + name, "-----BEGIN PUBLIC KEY-----\n" + name + "\n-----END PUBLIC KEY-----\n",
                "fp-" + name, Map.of("cpu", "test"), "hash-" + name, java.time.Instant.ofEpochMilli(T0)).id();
    }

    private SampleQuery range(SeriesKey key, long from, long to) {
        return new SampleQuery(OptionalLong.of(client), key.metric(), key.labels().map(), from, to, SampleQuery.DEFAULT_LIMIT);
    }

    private List<Point> only(List<SeriesData> data) {
        assertThat(data).hasSize(1);
        return data.get(0).points();
    }

    private void sixIntegersTenSecondsApart() {
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(Sample.of(TEMP, T0 + i * 10_000L, (long) (i + 1)));
        }
        storage.append(client, batch);
    }

    @Test
    void downsamplingComputesMinMaxAvgLastAndCountPerBucket() {
        sixIntegersTenSecondsApart();
        SampleQuery q = range(TEMP, T0, T0 + 59_999);
        assertThat(only(storage.query(q, 30_000, Aggregation.MIN))).containsExactly(new Point(T0, 1L), new Point(T0 + 30_000, 4L));
        assertThat(only(storage.query(q, 30_000, Aggregation.MAX))).containsExactly(new Point(T0, 3L), new Point(T0 + 30_000, 6L));
        assertThat(only(storage.query(q, 30_000, Aggregation.AVG))).containsExactly(new Point(T0, 2.0), new Point(T0 + 30_000, 5.0));
        assertThat(only(storage.query(q, 30_000, Aggregation.LAST))).containsExactly(new Point(T0, 3L), new Point(T0 + 30_000, 6L));
        assertThat(only(storage.query(q, 30_000, Aggregation.COUNT))).containsExactly(new Point(T0, 3L), new Point(T0 + 30_000, 3L));
    }

    @Test
    void bucketsStartAtTheQueryStartAndLimitKeepsTheNewest() {
        sixIntegersTenSecondsApart();
        SampleQuery q = new SampleQuery(OptionalLong.of(client), TEMP.metric(), Map.of(), T0 + 5_000, T0 + 60_000, 2);
        // buckets of 20 s from T0+5s: [5,25) -> 2,3  [25,45) -> 4,5  [45,65) -> 6; limit 2 keeps the newest two
        assertThat(only(storage.query(q, 20_000, Aggregation.MAX)))
                .containsExactly(new Point(T0 + 25_000, 5L), new Point(T0 + 45_000, 6L));
    }

    @Test
    void averagingIgnoresNanAndRealSeriesStayDouble() {
        SeriesKey k = SeriesKey.of("node_load1");
        storage.append(client, List.of(Sample.of(k, T0, 1.0), Sample.of(k, T0 + 1, Double.NaN), Sample.of(k, T0 + 2, 2.0),
                Sample.of(k, T0 + 100, Double.NaN)));
        assertThat(only(storage.query(range(k, T0, T0 + 199), 100, Aggregation.AVG)))
                .containsExactly(new Point(T0, 1.5), new Point(T0 + 100, Double.NaN));
        assertThat(only(storage.query(range(k, T0, T0 + 99), 100, Aggregation.MAX))).containsExactly(new Point(T0, 2.0));
    }

    @Test
    void averageOfPlusAndMinusInfinityIsNanAndMinMaxKeepInfinities() {
        SeriesKey k = SeriesKey.of("odd_values");
        storage.append(client, List.of(Sample.of(k, T0, Double.POSITIVE_INFINITY), Sample.of(k, T0 + 1, Double.NEGATIVE_INFINITY)));
        assertThat((Double) only(storage.query(range(k, T0, T0 + 99), 100, Aggregation.AVG)).get(0).value()).isNaN();
        assertThat(only(storage.query(range(k, T0, T0 + 99), 100, Aggregation.MIN))).containsExactly(new Point(T0, Double.NEGATIVE_INFINITY));
        assertThat(only(storage.query(range(k, T0, T0 + 99), 100, Aggregation.MAX))).containsExactly(new Point(T0, Double.POSITIVE_INFINITY));
    }

    @Test
    void sevenDaysAtThirtySecondsDownsampleToAboutAThousandPoints() {
        long week = 7L * 24 * 3600 * 1000;
        List<Sample> batch = new ArrayList<>();
        for (long ts = T0; ts < T0 + week; ts += 30_000) {
            batch.add(Sample.of(TEMP, ts, (ts / 30_000) % 90));
        }
        storage.append(client, batch);
        long step = week / 1000;
        List<Point> points = only(storage.query(range(TEMP, T0, T0 + week - 1), step, Aggregation.AVG));
        assertThat(batch).hasSize(20_160);
        assertThat(points).hasSizeBetween(999, 1000);
        assertThat(points.get(0).timestampMs()).isEqualTo(T0);
    }

    @Test
    void rateSumsIncreasesAndTreatsADropAsACounterReset() {
        long[] values = {0, 10, 20, 5, 15, 25};
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            batch.add(Sample.of(BYTES, T0 + i * 10_000L, values[i]));
        }
        storage.append(client, batch);
        List<Point> rate = only(storage.rate(range(BYTES, T0, T0 + 59_999), 30_000));
        assertThat(rate).extracting(Point::timestampMs).containsExactly(T0, T0 + 30_000);
        // bucket 0: +10 +10 = 20 over 30 s; bucket 1: reset (5) +10 +10 = 25 over 30 s
        assertThat(rate.get(0).value().doubleValue()).isCloseTo(20.0 / 30, within(1e-9));
        assertThat(rate.get(1).value().doubleValue()).isCloseTo(25.0 / 30, within(1e-9));
    }

    @Test
    void rateUsesTheSampleBeforeTheRangeAsPredecessor() {
        storage.append(client, List.of(Sample.of(BYTES, T0 - 10_000, 100L), Sample.of(BYTES, T0 + 10_000, 160L)));
        List<Point> rate = only(storage.rate(range(BYTES, T0, T0 + 29_999), 30_000));
        assertThat(rate).singleElement().satisfies(p -> assertThat(p.value().doubleValue()).isCloseTo(2.0, within(1e-9)));
    }

    @Test
    void latestGivesTheNewestPointOfEverySeriesOfAllClients() {
        long other = register("beta");
        storage.append(client, List.of(Sample.of(TEMP, T0, 40L), Sample.of(TEMP, T0 + 30_000, 41L),
                Sample.of(SeriesKey.of("node_load1"), T0, 0.5), Sample.of(SeriesKey.of("node_load1"), T0 + 1, Double.NaN)));
        storage.append(other, List.of(Sample.of(TEMP, T0 + 60_000, 70L), Sample.of(SeriesKey.of(TEMP.metric(), "gpu", "1"), T0, 60L)));
        storage.append(client, List.of(Sample.of(TEMP, T0 - 1, 1L))); // a late sample is not the latest

        List<SeriesData> temps = storage.latest(OptionalLong.empty(), Optional.of(TEMP.metric()), Map.of());
        assertThat(temps).extracting(d -> d.clientId() + " " + d.series().labels().get("gpu") + " " + d.points())
                .containsExactly(client + " 0 [" + new Point(T0 + 30_000, 41L) + "]",
                        other + " 0 [" + new Point(T0 + 60_000, 70L) + "]",
                        other + " 1 [" + new Point(T0, 60L) + "]");
        assertThat(storage.latest(OptionalLong.empty(), Optional.of(TEMP.metric()), Map.of("gpu", "1")))
                .extracting(SeriesData::clientId).containsExactly(other);
        List<SeriesData> mine = storage.latest(OptionalLong.of(client), Optional.empty(), Map.of());
        assertThat(mine).extracting(d -> d.series().metric()).containsExactly(TEMP.metric(), "node_load1");
        assertThat((Double) mine.get(1).points().get(0).value()).isNaN();
    }

    @Test
    void listingsNameSeriesMetricsAndLabelValues() {
        long other = register("beta");
        storage.append(client, List.of(Sample.of(TEMP, T0, 1L), Sample.of(SeriesKey.of(TEMP.metric(), "gpu", "10"), T0, 1L),
                Sample.of(BYTES, T0, 1L)));
        storage.append(other, List.of(Sample.of(SeriesKey.of(TEMP.metric(), "gpu", "7"), T0, 1L)));
        assertThat(storage.metrics(OptionalLong.empty())).containsExactly(TEMP.metric(), BYTES.metric());
        assertThat(storage.metrics(OptionalLong.of(other))).containsExactly(TEMP.metric());
        assertThat(storage.labelValues(TEMP.metric(), "gpu", OptionalLong.empty())).containsExactly("0", "10", "7");
        assertThat(storage.labelValues(TEMP.metric(), "gpu", OptionalLong.of(client))).containsExactly("0", "10");
        assertThat(storage.labelValues(TEMP.metric(), "nope", OptionalLong.empty())).isEmpty();
        assertThat(storage.series(OptionalLong.of(client), Optional.of(TEMP.metric()), Map.of("gpu", "10")))
                .containsExactly(new StoredSeries(client, SeriesKey.of(TEMP.metric(), "gpu", "10")));
        assertThat(storage.series(OptionalLong.empty(), Optional.empty(), Map.of())).hasSize(4);
    }
}
