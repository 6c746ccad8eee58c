package io.dcmon.prometheus;

import com.sun.net.httpserver.HttpServer;
import io.dcmon.core.model.Client;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The forwarder against a real HTTP receiver on 127.0.0.1 (the JDK's server) that answers as told. */
class RemoteWriteForwarderTest {

    private static final Client CLIENT = new Client(5, "node-5", "m", "fp", Map.of(), Instant.EPOCH, null);

    private HttpServer server;
    private final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> encodings = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);

    private URI receiver(IntSupplier status, boolean block) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/write", ex -> {
            try {
                if (block) {
                    release.await(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            int s = status.getAsInt();
            if (s / 100 == 2) {
                bodies.add(body);
            }
            authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
            encodings.add(ex.getRequestHeaders().getFirst("Content-Encoding") + " "
                    + ex.getRequestHeaders().getFirst("Content-Type"));
            byte[] answer = (s / 100 == 2 ? "" : "answer " + s).getBytes();
            ex.sendResponseHeaders(s, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static RemoteWriteConfig fast(URI url) {
        return RemoteWriteConfig.of(url).withTiming(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private static List<Sample> batch(int n, long t0) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Sample.of(SeriesKey.of("node_load1"), t0 + i * 1000L, i * 0.5));
        }
        return out;
    }

    private static void await(RemoteWriteForwarder f, String counter, long atLeast) throws InterruptedException {
        for (int i = 0; i < 500 && f.counters().get(counter) < atLeast; i++) {
            Thread.sleep(20);
        }
        assertThat(f.counters().get(counter)).as("%s in %s", counter, f.counters()).isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void retriesServerErrorsWithBackoffThenDelivers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        URI url = receiver(() -> calls.incrementAndGet() <= 2 ? 503 : 204, false);
        try (RemoteWriteForwarder f = RemoteWriteForwarder.start(fast(url).withAuthorization(RemoteWriteConfig.bearer("tok-1")))) {
            f.accepted(CLIENT, batch(3, 1_000_000));
            await(f, "forwarded_samples", 3);
            assertThat(f.counters()).containsEntry("retries", 2L).containsEntry("forwarded_batches", 1L)
                    .containsEntry("dropped_samples", 0L).containsEntry("queued_samples", 0L);
        }
        assertThat(authorizations).containsOnly("Bearer tok-1");
        assertThat(encodings).containsOnly("snappy application/x-protobuf");
        List<RemoteWriteDecoder.Decoded> d = RemoteWriteDecoder.decode(bodies.get(0));
        assertThat(d).hasSize(1);
        assertThat(d.get(0).labels()).containsEntry("__name__", "node_load1").containsEntry("instance", "node-5")
                .containsEntry("client", "5");
        assertThat(d.get(0).samples()).extracting(s -> (long) s[0]).containsExactly(1_000_000L, 1_001_000L, 1_002_000L);
    }

    @Test
    void aClientErrorDropsTheRequestWithoutRetry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        URI url = receiver(() -> {
            calls.incrementAndGet();
            return 400;
        }, false);
        try (RemoteWriteForwarder f = RemoteWriteForwarder.start(fast(url))) {
            f.accepted(CLIENT, batch(4, 1_000_000));
            await(f, "dropped_rejected_samples", 4);
            assertThat(f.counters()).containsEntry("retries", 0L).containsEntry("forwarded_samples", 0L)
                    .containsEntry("dropped_samples", 4L);
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsIsRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        URI url = receiver(() -> calls.incrementAndGet() == 1 ? 429 : 200, false);
        try (RemoteWriteForwarder f = RemoteWriteForwarder.start(fast(url))) {
            f.accepted(CLIENT, batch(2, 1_000_000));
            await(f, "forwarded_samples", 2);
            assertThat(f.counters()).containsEntry("retries", 1L).containsEntry("dropped_samples", 0L);
        }
    }

    @Test
    void connectionErrorsAreRetriedAndWhatIsLeftAtCloseIsCounted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();   // closed again: nothing listens there
        }
        RemoteWriteForwarder f = RemoteWriteForwarder.start(fast(URI.create("http://127.0.0.1:" + port + "/api/v1/write")));
        f.accepted(CLIENT, batch(5, 1_000_000));
        await(f, "retries", 2);
        f.close();
        assertThat(f.counters()).containsEntry("forwarded_samples", 0L).containsEntry("dropped_on_close_samples", 5L)
                .containsEntry("queued_samples", 0L);
        f.accepted(CLIENT, batch(1, 2_000_000));
        assertThat(f.counters()).containsEntry("dropped_on_close_samples", 6L);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingIngest() throws Exception {
        URI url = receiver(() -> 204, true);
        RemoteWriteConfig small = fast(url).withSizes(10, 10);
        try (RemoteWriteForwarder f = RemoteWriteForwarder.start(small)) {
            // the receiver holds the first request: the queue fills and the rest is dropped, without waiting
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 20; i++) {
                    f.accepted(CLIENT, batch(4, 1_000_000 + i * 10_000L));
                }
            });
            assertThat(f.counters().get("dropped_queue_full_samples")).isGreaterThanOrEqualTo(4 * 20 - 10 - 12);
            assertThat(f.counters().get("queued_samples")).isLessThanOrEqualTo(10);
            release.countDown();
            await(f, "forwarded_samples", 4);
            long accepted = 80 - f.counters().get("dropped_queue_full_samples");
            await(f, "forwarded_samples", accepted);
            assertThat(f.counters()).containsEntry("forwarded_samples", accepted).containsEntry("queued_samples", 0L);
        }
    }

    @Test
    void backoffGrowsWithJitterAndHonoursRetryAfterUpToTheMaximum() {
        RemoteWriteConfig c = RemoteWriteConfig.of(URI.create("http://127.0.0.1:1/w"))
                .withTiming(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(1600));
        try (RemoteWriteForwarder f = RemoteWriteForwarder.start(c)) {
            for (int i = 0; i < 50; i++) {
                assertThat(f.backoffMs(0, 0)).isBetween(50L, 100L);
                assertThat(f.backoffMs(3, 0)).isBetween(400L, 800L);
                assertThat(f.backoffMs(40, 0)).isBetween(800L, 1600L);
                assertThat(f.backoffMs(0, 1000)).isEqualTo(1000L);
                assertThat(f.backoffMs(0, 60_000)).isEqualTo(1600L);
            }
        }
    }

    @Test
    void configRefusesNonsenseAndHidesTheSecret() {
        RemoteWriteConfig c = RemoteWriteConfig.of(URI.create("https://metrics.example.internal/api/v1/write"))
                .withAuthorization(RemoteWriteConfig.basic("u", "p4ss"));
        assertThat(c.toString()).doesNotContain("p4ss").doesNotContain(c.authorization()).contains("(set)");
        assertThat(c.authorization()).isEqualTo("Basic dTpwNHNz");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RemoteWriteConfig.of(URI.create("ftp://x/y")))
                .hasMessageContaining("http or https");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.withSizes(10, 20))
                .hasMessageContaining("at most the queue");
    }
}
