package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark, not a test: {@code GET /api/fleet} over HTTP for N clients (default 1000) that each pushed two cycles
 * of the test machines' metrics (about 60 series per client). Prints p50/p95/p99 of 100 calls after 5 warm-ups, and
 * the store part alone both ways in the same run: one read per headline metric against one {@code latestOfMetrics};
 * then the same calls accepting gzip, as a browser sends them.
 * Run: {@code mvn -o -pl dcmon-transport test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.dcmon.transport.server.FleetBenchmark [-Dexec.args=1000]}, or from an IDE. With {@code -pl} alone
 * dcmon-core and dcmon-storage come from the local repository: to time this checkout's store, put its
 * {@code target/classes} first on a plain {@code java -cp} (as dcmon-storage/README.md's fleet runs do).
 */
public final class FleetBenchmark {

    private FleetBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional number of clients (default 1000)
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("dcmon-fleet-bench");
        Clock clock = Clock.systemUTC();
        String admin = Tokens.generate();
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Client c = storage.upsert(String.format(Locale.ROOT, "node-%04d", i), "m" + i, "pem-" + i, "fp-" + i, Map.of(),
                        Tokens.hash(Tokens.generate()), Instant.now());
                FleetData.Machine m = new FleetData.Machine(40 + i % 60, i % 3 == 0 ? 8 : 0, i % 50 == 0);
                storage.append(c.id(), FleetData.at(m, now - 30_000, 0));
                storage.append(c.id(), FleetData.at(m, now, 1));
                storage.touch(c.id(), Instant.ofEpochMilli(now));
            }
            System.out.printf(Locale.ROOT, "loaded %d clients in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            DcmonServices services = new DcmonServices(new ClientAuthenticator(admin, storage),
                    new RegistrationService(storage, new CaffeineNonceGuard(), clock), new IngestService(storage, storage, clock),
                    new QueryService(storage, storage), clock, false);
            QueryService query = new QueryService(storage, storage);
            java.util.concurrent.ExecutorService pool = DcmonHandler.readPool();
            for (int i = 0; i < 5; i++) {
                FleetResource.build(query, Instant.now(), Duration.ofSeconds(30), pool);
            }
            long[] build = new long[30];
            long[] clients = new long[30];
            for (int i = -10; i < build.length; i++) {
                long b0 = System.nanoTime();
                FleetResource.build(query, Instant.now(), Duration.ofSeconds(30), pool);
                long b1 = System.nanoTime();
                query.clients();
                long b2 = System.nanoTime();
                if (i >= 0) {
                    build[i] = b1 - b0;
                    clients[i] = b2 - b1;
                }
            }
            Arrays.sort(build);
            Arrays.sort(clients);
            System.out.printf(Locale.ROOT, "FleetResource.build (storage reads + folding, no HTTP/JSON): p50 %.1f ms, p90 %.1f ms; "
                    + "of which the clients read alone p50 %.1f ms%n", build[15] / 1e6, build[27] / 1e6, clients[15] / 1e6);
            for (String metric : new String[]{"node_load1", "ipmi_temperature_celsius", "dcmon_collector_up"}) {
                long m0 = System.nanoTime();
                int rows = query.latest(metric, Map.of()).size();
                System.out.printf(Locale.ROOT, "  latest(%s): %d series in %.1f ms%n", metric, rows, (System.nanoTime() - m0) / 1e6);
            }
            // the store part of the fleet view, both ways in this run: one read per headline metric on the read pool
            // (how FleetResource read before) against one multi-metric read
            java.util.Set<String> metrics = FleetResource.metrics();
            int series = 0;
            long[] perMetric = new long[30];
            long[] multi = new long[30];
            for (int i = -3; i < perMetric.length; i++) {
                long a = System.nanoTime();
                java.util.List<java.util.concurrent.CompletableFuture<Integer>> parts = new java.util.ArrayList<>();
                for (String m : metrics) {
                    parts.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> query.latest(m, Map.of()).size(), pool));
                }
                int total = parts.stream().mapToInt(java.util.concurrent.CompletableFuture::join).sum();
                long b = System.nanoTime();
                series = query.latestOfMetrics(metrics).size();
                long c = System.nanoTime();
                if (total != series) {
                    throw new IllegalStateException("per-metric reads found " + total + " series, the multi-metric read " + series);
                }
                if (i >= 0) {
                    perMetric[i] = b - a;
                    multi[i] = c - b;
                }
            }
            Arrays.sort(perMetric);
            Arrays.sort(multi);
            System.out.printf(Locale.ROOT, "latest of %d headline metrics (%d series): %d per-metric reads p50 %.1f ms; "
                            + "one latestOfMetrics read p50 %.1f ms, p99 %.1f ms (ratio %.2f)%n", metrics.size(), series,
                    metrics.size(), perMetric[15] / 1e6, multi[15] / 1e6, multi[29] / 1e6, (double) multi[15] / perMetric[15]);
            pool.shutdown();
            try (DcmonServer server = DcmonServer.create("127.0.0.1", 0, services)) {
                server.start();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest req = HttpRequest.newBuilder(server.uri().resolve("api/fleet"))
                        .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(60)).build();
                long[] ms = new long[100];
                int bytes = 0;
                for (int i = -5; i < ms.length; i++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("GET /api/fleet answered " + r.statusCode() + ": " + r.body());
                    }
                    bytes = r.body().length();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - s) / 1_000_000;
                    }
                }
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "GET /api/fleet, %d clients, %d bytes: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms "
                                + "(%d calls; load average %.2f)%n", n, bytes, ms[ms.length / 2], ms[(int) (ms.length * 0.95)],
                        ms[(int) (ms.length * 0.99)], ms[ms.length - 1], ms.length,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                // what a browser gets: the same call accepting gzip (bytes on the wire; the client does not inflate)
                HttpRequest gzip = HttpRequest.newBuilder(req, (k, v) -> true).header("Accept-Encoding", "gzip").build();
                long[] gz = new long[100];
                int gzBytes = 0;
                for (int i = -5; i < gz.length; i++) {
                    long s = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("GET /api/fleet (gzip) answered " + r.statusCode());
                    }
                    gzBytes = r.body().length;
                    if (i >= 0) {
                        gz[i] = (System.nanoTime() - s) / 1_000_000;
                    }
                }
                Arrays.sort(gz);
                System.out.printf(Locale.ROOT, "GET /api/fleet with Accept-Encoding: gzip, %d bytes (%s): p50 %d ms, p95 %d ms, "
                                + "p99 %d ms (load average %.2f)%n", gzBytes,
                        gzBytes < bytes ? "compressed" : "not compressed", gz[50], gz[95], gz[99],
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }
}
