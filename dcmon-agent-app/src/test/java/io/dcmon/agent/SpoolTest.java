package io.dcmon.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolTest {

    @TempDir
    Path dir;

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    List<String> drain(Spool spool) throws Exception {
        List<String> out = new ArrayList<>();
        for (var e = spool.oldest(); e.isPresent(); e = spool.oldest()) {
            out.add(new String(e.get().data(), StandardCharsets.UTF_8));
            spool.remove(e.get());
        }
        return out;
    }

    @Test
    void replaysOldestFirstAndSurvivesReopening() throws Exception {
        MutableClock clock = new MutableClock();
        Spool spool = new Spool(dir, Spool.Limits.defaults(), clock);
        for (int i = 0; i < 12; i++) {
            spool.add(b("batch-" + i));
        }
        Spool reopened = new Spool(dir, Spool.Limits.defaults(), clock);
        assertThat(reopened.depth()).isEqualTo(12);
        reopened.add(b("batch-12"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            expected.add("batch-" + i);
        }
        assertThat(drain(reopened)).containsExactlyElementsOf(expected);
        assertThat(reopened.depth()).isZero();
    }

    @Test
    void dropsOldestWhenOverSizeAndCountsTheDrops() throws Exception {
        Spool spool = new Spool(dir, new Spool.Limits(2048, Duration.ofDays(1)), new MutableClock());
        for (int i = 0; i < 10; i++) {
            spool.add(("x".repeat(500) + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(spool.bytes()).isLessThanOrEqualTo(2048);
        assertThat(spool.dropped()).isEqualTo(6);
        assertThat(drain(spool)).extracting(s -> s.substring(500)).containsExactly("6", "7", "8", "9");
    }

    @Test
    void dropsBatchesOlderThanMaxAge() throws Exception {
        MutableClock clock = new MutableClock();
        Spool spool = new Spool(dir, new Spool.Limits(1 << 20, Duration.ofHours(1)), clock);
        spool.add(b("old"));
        clock.now = clock.now.plus(Duration.ofMinutes(50));
        spool.add(b("new"));
        clock.now = clock.now.plus(Duration.ofMinutes(20));
        assertThat(drain(spool)).containsExactly("new");
        assertThat(spool.dropped()).isEqualTo(1);
    }

    @Test
    void aHalfWrittenBatchFromACrashIsDiscardedOnOpen() throws Exception {
        Files.write(dir.resolve("0000000000000000001-1.batch.tmp"), b("partial"));
        Spool spool = new Spool(dir, Spool.Limits.defaults(), new MutableClock());
        assertThat(spool.depth()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
