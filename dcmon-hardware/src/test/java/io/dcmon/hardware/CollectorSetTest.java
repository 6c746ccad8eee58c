package io.dcmon.hardware;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;
import io.dcmon.hardware.proc.OsCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorSetTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A collector over an external tool, the way the nvidia and ipmi collectors are built. */
    record ToolCollector(String name, ToolRunner tool) implements Collector {
        @Override
        public List<Sample> collect() throws CollectorException {
            CommandResult r = tool.run();
            return List.of(Sample.of(SeriesKey.of("tool_lines", "tool", name), CLOCK.millis(), r.stdout().lines().count()));
        }
    }

    /** A collector that answers at once with fixed samples. */
    record FixedCollector(String name, int count) implements Collector {
        @Override
        public List<Sample> collect() {
            List<Sample> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(Sample.of(SeriesKey.of("fixed_value", "i", Integer.toString(i)), CLOCK.millis(), (long) i));
            }
            return out;
        }
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static Optional<Sample> find(List<Sample> samples, String metric, String collector) {
        SeriesKey key = SeriesKey.of(metric, "collector", collector);
        return samples.stream().filter(s -> s.series().equals(key)).findFirst();
    }

    @Test
    void hungToolIsKilledAtItsTimeoutReportsUpZeroAndTheOthersAreComplete() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path hang = script("fake-ipmitool", "sleep 100000 & echo $! > " + pidFile + "; echo 'BMC not answering' >&2; wait");
        Path ok = script("fake-nvidia-smi", "printf 'a\\nb\\nc\\n'");
        Collector hung = new ToolCollector("ipmi", ToolRunner.local(Tool.of(hang.toString(), Duration.ofSeconds(1))));
        Collector fast = new ToolCollector("nvidia", ToolRunner.local(Tool.of(ok.toString(), Duration.ofSeconds(10))));
        OsCollector os = new OsCollector(Path.of("/proc"), Path.of("/sys"), CLOCK);
        int osSamples = os.collect().size();

        try (CollectorSet set = CollectorSet.of(List.of(
                new CollectorSet.Entry(hung, Duration.ofSeconds(30), Duration.ofSeconds(20)),
                new CollectorSet.Entry(fast, Duration.ofSeconds(30), Duration.ofSeconds(20)),
                new CollectorSet.Entry(os, Duration.ofSeconds(30), Duration.ofSeconds(20))), CLOCK)) {
            long t0 = System.nanoTime();
            List<Sample> s = set.collectOnce(Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("bounded by the tool's 1 s timeout, not 20 s")
                    .isLessThan(Duration.ofSeconds(10));

            assertThat(find(s, CollectorSet.UP, "ipmi").orElseThrow().value()).isEqualTo(0L);
            assertThat(find(s, CollectorSet.LAST_SUCCESS, "ipmi")).isEmpty();
            CollectorStatus st = set.status().get("ipmi");
            assertThat(st.up()).isFalse();
            assertThat(st.error().orElseThrow())
                    .matches("fake-ipmitool did not finish within 1s; killed pid \\d+ and 1 child\\. stderr: BMC not answering");
            long child = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(child).ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));

            // the other collectors of the same cycle are complete
            assertThat(find(s, CollectorSet.UP, "nvidia").orElseThrow().value()).isEqualTo(1L);
            assertThat(s).contains(Sample.of(SeriesKey.of("tool_lines", "tool", "nvidia"), CLOCK.millis(), 3L));
            assertThat(find(s, CollectorSet.UP, "os").orElseThrow().value()).isEqualTo(1L);
            assertThat(s.stream().filter(x -> x.metric().startsWith("node_")).count()).isEqualTo(osSamples);
            assertThat(find(s, CollectorSet.LAST_SUCCESS, "os").orElseThrow().value()).isEqualTo(CLOCK.millis() / 1000.0);
            assertThat(find(s, CollectorSet.DURATION, "os").orElseThrow().value().doubleValue()).isGreaterThan(0);
        }
    }

    @Test
    void collectorThatBlocksInJavaIsCutOffAtTheCycleTimeout() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        Collector stuck = new Collector() {
            @Override
            public String name() {
                return "stuck";
            }

            @Override
            public List<Sample> collect() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
                return List.of();
            }
        };
        try (CollectorSet set = CollectorSet.of(stuck, new FixedCollector("fixed", 3))) {
            List<Sample> s = set.collectOnce(Duration.ofMillis(300));
            assertThat(find(s, CollectorSet.UP, "stuck").orElseThrow().value()).isEqualTo(0L);
            assertThat(set.status().get("stuck").error().orElseThrow())
                    .isEqualTo("stuck did not finish within 300ms; its thread was interrupted and its tool killed. Its samples are skipped this cycle");
            assertThat(s.stream().filter(x -> x.metric().equals("fixed_value"))).hasSize(3);
        }
    }

    @Test
    void unavailableCollectorIsDecidedOnceNeverRunAndReportedAsUnavailable() {
        AtomicInteger checks = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        Collector absent = new Collector() {
            @Override
            public String name() {
                return "nvidia";
            }

            @Override
            public List<Sample> collect() {
                runs.incrementAndGet();
                return List.of();
            }

            @Override
            public Availability availability() {
                checks.incrementAndGet();
                return Availability.no("nvidia-smi is not installed: tried PATH (/usr/bin)");
            }
        };
        try (CollectorSet set = CollectorSet.of(absent, new FixedCollector("fixed", 1))) {
            set.collectOnce(Duration.ofSeconds(5));
            List<Sample> s = set.collectOnce(Duration.ofSeconds(5));
            assertThat(checks).hasValue(1);
            assertThat(runs).hasValue(0);
            assertThat(find(s, CollectorSet.AVAILABLE, "nvidia").orElseThrow().value()).isEqualTo(0L);
            assertThat(find(s, CollectorSet.UP, "nvidia")).isEmpty();
            assertThat(find(s, CollectorSet.AVAILABLE, "fixed").orElseThrow().value()).isEqualTo(1L);
            assertThat(set.probe().get("nvidia").reason()).contains("not installed");
            assertThat(set.status().get("nvidia").error()).contains("nvidia-smi is not installed: tried PATH (/usr/bin)");
        }
    }

    @Test
    void availabilityCheckThatHangsCountsAsUnavailable() {
        Collector hangsOnProbe = new Collector() {
            @Override
            public String name() {
                return "slowprobe";
            }

            @Override
            public List<Sample> collect() {
                return List.of();
            }

            @Override
            public Availability availability() {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Availability.yes();
            }
        };
        try (CollectorSet set = CollectorSet.of(List.of(new CollectorSet.Entry(hangsOnProbe, Duration.ofSeconds(30), Duration.ofMillis(200))), CLOCK)) {
            assertThat(set.probe().get("slowprobe").available()).isFalse();
            assertThat(set.probe().get("slowprobe").reason()).contains("did not finish within 200ms");
        }
    }

    @Test
    void scheduledCollectorsRunOnTheirOwnIntervalsAndAHungOneDoesNotDelayTheOthers() throws Exception {
        Path hang = script("hang.sh", "exec sleep 100000");
        Collector hung = new ToolCollector("hung", ToolRunner.local(Tool.of(hang.toString(), Duration.ofSeconds(60))));
        List<List<Sample>> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch threeFast = new CountDownLatch(3);
        try (CollectorSet set = CollectorSet.of(List.of(
                new CollectorSet.Entry(hung, Duration.ofSeconds(1), Duration.ofSeconds(60)),
                new CollectorSet.Entry(new FixedCollector("fast", 2), Duration.ofSeconds(1), Duration.ofSeconds(5))), CLOCK)) {
            set.start(b -> {
                batches.add(b);
                if (find(b, CollectorSet.UP, "fast").isPresent()) {
                    threeFast.countDown();
                }
            });
            assertThat(threeFast.await(20, TimeUnit.SECONDS)).as("fast collector kept its schedule").isTrue();
            // the hung collector's later runs are refused instead of piling up
            List<List<Sample>> hungBatches;
            synchronized (batches) {
                hungBatches = batches.stream().filter(b -> find(b, CollectorSet.UP, "hung").isPresent()).toList();
            }
            assertThat(hungBatches).isNotEmpty().allSatisfy(b -> assertThat(find(b, CollectorSet.UP, "hung").orElseThrow().value()).isEqualTo(0L));
            assertThat(set.status().get("hung").error().orElseThrow()).contains("previous run is still running");
        }
    }

    @Test
    void rejectsDuplicateNamesAndTinyIntervals() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CollectorSet.of(new FixedCollector("a", 1), new FixedCollector("a", 1)))
                .hasMessageContaining("two collectors are named 'a'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CollectorSet.Entry(new FixedCollector("a", 1), Duration.ofMillis(10), Duration.ofSeconds(1)))
                .hasMessageContaining("interval of collector 'a' was 'PT0.01S' but it must be at least PT1S");
    }
}
