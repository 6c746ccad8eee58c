package io.dcmon.examples;

import io.dcmon.agent.Agent;
import io.dcmon.agent.AgentState;
import io.dcmon.agent.Enrolment;
import io.dcmon.agent.Spool;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.server.DcmonServices;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No data lost when the server is down or overloaded: a real agent pushing every second to a real server; the
 * server is stopped for a while (default 60 s, {@code -Ddcmon.outageSeconds=N}) or answers 503; afterwards every
 * sample the agent produced is in the database exactly once.
 */
class AgentOutageTest {

    static final long OUTAGE_SECONDS = Long.getLong("dcmon.outageSeconds", 60);

    @TempDir
    Path tmp;

    final String adminToken = Tokens.generate();
    final Clock clock = Clock.systemUTC();
    final ConcurrentLinkedQueue<Sample> produced = new ConcurrentLinkedQueue<>();
    final AtomicLong counter = new AtomicLong();
    final AtomicBoolean unavailable = new AtomicBoolean();
    SqliteStorage storage;
    DcmonServer server;
    ScheduledExecutorService loop;
    /** The spool of the agent {@link #registeredAgent} made. */
    Spool spool;

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    void startServer(int port) throws Exception {
        storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
        DcmonServices services = TestServers.services(storage, adminToken, clock);
        server = DcmonServer.create("127.0.0.1", port, services);
        Handler api = server.jetty().getHandler();
        server.jetty().setHandler(new Handler.Wrapper(api) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (unavailable.get()) {
                    Response.writeError(request, response, callback, 503, "overloaded (test)");
                    return true;
                }
                return super.handle(request, response, callback);
            }
        });
        server.start();
    }

    void stopServer() {
        server.close();
        storage.close();
        server = null;
        storage = null;
    }

    List<Sample> cycleSamples() {
        long now = clock.millis();
        long n = counter.incrementAndGet();
        List<Sample> s = List.of(
                Sample.of(SeriesKey.of("test_counter_total"), now, n),
                Sample.of(SeriesKey.of("test_temperature_celsius", "sensor", "cpu"), now, 40.0 + (n % 7) * 0.5));
        produced.addAll(s);
        return s;
    }

    Agent registeredAgent(URI base) throws Exception {
        AgentState state = new AgentState(tmp.resolve("auth"));
        AgentState.Registration r = new Enrolment(state, clock).register(base, null, adminToken,
                new Enrolment.HostIdentity("outage-host", "", Map.of()));
        spool = new Spool(tmp.resolve("spool"), Spool.Limits.defaults(), clock);
        return new Agent(DcmonClient.create(base), r.token(), this::cycleSamples, spool, clock, Duration.ofSeconds(2));
    }

    void runEverySecond(Agent agent) {
        loop = Executors.newSingleThreadScheduledExecutor();
        loop.scheduleAtFixedRate(() -> {
            try {
                agent.cycle();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Stops the loop once the spool is empty again, then checks every produced sample is stored exactly once. */
    void assertEverySampleStoredOnce(Spool spoolView) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (spoolView.depth() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        loop.shutdown();
        assertThat(loop.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(spoolView.depth()).as("spool drained").isZero();
        assertEveryProducedSampleStoredOnce();
    }

    void assertEveryProducedSampleStoredOnce() {
        Map<String, List<Long>> stored = new HashMap<>();
        for (String metric : List.of("test_counter_total", "test_temperature_celsius")) {
            for (SeriesData d : storage.query(new SampleQuery(OptionalLong.empty(), metric, Map.of(), 0, Long.MAX_VALUE / 2, 1_000_000))) {
                List<Long> ts = stored.computeIfAbsent(d.series().toString(), k -> new ArrayList<>());
                for (Point p : d.points()) {
                    ts.add(p.timestampMs());
                }
            }
        }
        Map<String, List<Long>> expected = new HashMap<>();
        for (Sample s : produced) {
            if (s.metric().startsWith("test_")) {
                expected.computeIfAbsent(s.series().toString(), k -> new ArrayList<>()).add(s.timestampMs());
            }
        }
        expected.values().forEach(l -> l.sort(null));
        stored.values().forEach(l -> l.sort(null));
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void serverStoppedAndRestartedLosesNothingAndDuplicatesNothing() throws Exception {
        startServer(0);
        int port = server.uri().getPort();
        URI base = server.uri();
        Agent agent = registeredAgent(base);
        Spool spoolView = new Spool(tmp.resolve("spool"), Spool.Limits.defaults(), clock);
        runEverySecond(agent);

        Thread.sleep(3_000);
        stopServer();
        Thread.sleep(OUTAGE_SECONDS * 1000);
        assertThat(spoolView.depth()).as("batches spooled during the outage").isGreaterThan((int) OUTAGE_SECONDS / 2);
        startServer(port);

        assertThat(counter.get()).isGreaterThan(10);
        assertEverySampleStoredOnce(spoolView);
    }

    @Test
    void aBatchIsSpooledOnlyWhileTheServerCannotTakeItAndDeliveredLater() throws Exception {
        startServer(0);
        int port = server.uri().getPort();
        Agent agent = registeredAgent(server.uri());

        for (int i = 0; i < 3; i++) {
            agent.cycle();
        }
        assertThat(spool.written()).as("nothing touches the disk while the server takes every batch").isZero();
        assertThat(spool.depth()).isZero();

        stopServer();
        agent.cycle(); // the push fails: this batch is spooled
        agent.cycle(); // backing off: spooled without a try
        assertThat(spool.written()).isEqualTo(2);
        assertThat(spool.depth()).isEqualTo(2);

        startServer(port);
        int afterRestart = 0;
        while (spool.depth() > 0) {
            assertThat(afterRestart).as("delivered within 5 cycles of the restart").isLessThan(5);
            Thread.sleep(2_100); // past the backoff (at most 2 s here)
            agent.cycle(); // behind waiting batches: spooled too, then sent oldest first
            afterRestart++;
        }
        assertThat(spool.written()).as("each cycle's batch while others waited queued behind them").isEqualTo(2 + afterRestart);
        agent.cycle();
        assertThat(spool.written()).as("back to sending directly").isEqualTo(2 + afterRestart);
        assertThat(spool.depth()).isZero();
        assertEveryProducedSampleStoredOnce();
        assertThat(counter.get()).isEqualTo(3 + 2 + afterRestart + 1);
    }

    @Test
    void serverAnswering503ForAWhileLosesNothing() throws Exception {
        startServer(0);
        URI base = server.uri();
        Agent agent = registeredAgent(base);
        Spool spoolView = new Spool(tmp.resolve("spool"), Spool.Limits.defaults(), clock);
        runEverySecond(agent);

        Thread.sleep(3_000);
        unavailable.set(true);
        Thread.sleep(Math.min(OUTAGE_SECONDS, 20) * 1000);
        assertThat(spoolView.depth()).isGreaterThan(5);
        unavailable.set(false);

        assertThat(counter.get()).isGreaterThan(10);
        assertEverySampleStoredOnce(spoolView);
    }
}
