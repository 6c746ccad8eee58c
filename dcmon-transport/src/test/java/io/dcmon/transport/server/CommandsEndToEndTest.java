package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.NewCommand;
import io.dcmon.transport.wire.RegisterResponse;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commands over real HTTP: validation, the long-poll, results, and isolation between clients. */
class CommandsEndToEndTest {

    private static final Logger log = LoggerFactory.getLogger(CommandsEndToEndTest.class);

    @TempDir
    static Path dir;
    static TestApi api;
    static RegisterResponse a;
    static RegisterResponse b;
    static ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        api = TestApi.start(dir);
        a = api.register("cmd-a");
        b = api.register("cmd-b");
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        api.close();
    }

    static ObjectNode params(Object... kv) {
        ObjectNode n = Json.mapper().createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            n.set((String) kv[i], Json.mapper().valueToTree(kv[i + 1]));
        }
        return n;
    }

    CommandView queue(long clientId, String type, ObjectNode params) throws Exception {
        return api.client.queueCommand(api.adminToken, new NewCommand(clientId, type, params, null));
    }

    int waitingPolls() throws Exception {
        return Json.mapper().readTree(api.send("GET", "/api/stats", api.adminToken, null).body()).get("waiting_polls").asInt();
    }

    void awaitWaiting(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waitingPolls() < n) {
            assertThat(System.nanoTime()).as("%d polls never all waited", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void parametersAreValidatedWithA400NamingTheField() throws Exception {
        Map<String, String> bad = Map.of(
                "{\"client_id\":" + a.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"set_duty\",\"zone\":2,\"percent\":50}}", "params.zone",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"set_duty\",\"zone\":0,\"percent\":101}}", "params.percent",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"set_mode\",\"mode\":\"turbo\"}}", "params.mode",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"status\",\"extra\":1}}", "params.extra",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"self_destruct\",\"params\":{}}", "type 'self_destruct'",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"reboot\",\"params\":{\"delay_seconds\":-1}}", "params.delay_seconds",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"config_update\",\"params\":{}}", "params.interval",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"config_update\",\"params\":{\"collectors\":[\"nvidia\",\"GPU!\"]}}", "params.collectors[1]",
                "{\"client_id\":" + a.clientId() + ",\"type\":\"reboot\",\"params\":{},\"expires_in_seconds\":0}", "expires_in_seconds");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            HttpResponse<String> r = api.send("POST", "/api/commands", api.adminToken, c.getKey());
            assertThat(r.statusCode()).as(c.getKey() + " -> " + r.body()).isEqualTo(400);
            assertThat(ApiSecurityEndToEndTest.error(r)).as(c.getKey()).contains(c.getValue());
        }
        HttpResponse<String> unknown = api.send("POST", "/api/commands", api.adminToken,
                "{\"client_id\":999999,\"type\":\"reboot\",\"params\":{}}");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aQueuedCommandIsDeliveredOnceWithTypedParamsAndItsResultIsRecorded() throws Exception {
        RegisterResponse me = api.register("cmd-life");
        CommandView q = queue(me.clientId(), "fan_control", params("action", "set_duty", "zone", 1, "percent", 60, "duration_seconds", 300));
        assertThat(q.status()).isEqualTo("queued");
        assertThat(q.params()).containsEntry("zone", "1").containsEntry("percent", "60").containsEntry("duration_seconds", "300");
        assertThat(q.createdBy()).isEqualTo("admin");

        List<CommandView> got = api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ofSeconds(5));
        assertThat(got).extracting(CommandView::id).containsExactly(q.id());
        assertThat(got.get(0).status()).isEqualTo("delivered");
        assertThat(api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ZERO)).isEmpty();

        CommandView done = api.client.reportResult(me.clientToken(), new CommandResult(q.id(), 0, "zone 1 at 60%", ""));
        assertThat(done.status()).isEqualTo("succeeded");
        assertThat(done.result().output()).isEqualTo("zone 1 at 60%");
        assertThatThrownBy(() -> api.client.reportResult(me.clientToken(), new CommandResult(q.id(), 1, "", "again")))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.serverError()).contains("only once");
                });

        CommandView failed = queue(me.clientId(), "reboot", params("delay_seconds", 30));
        api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ZERO);
        assertThat(api.client.reportResult(me.clientToken(), new CommandResult(failed.id(), 3, "", "not allowed by agent config")).status())
                .isEqualTo("failed");

        JsonNode list = Json.mapper().readTree(api.send("GET", "/api/commands?client_id=" + me.clientId(), api.adminToken, null).body());
        assertThat(list.get("commands").findValuesAsText("status")).containsExactly("failed", "succeeded");
        JsonNode onlyFailed = Json.mapper().readTree(api.send("GET", "/api/commands?client_id=" + me.clientId() + "&status=failed",
                api.adminToken, null).body());
        assertThat(onlyFailed.get("commands")).hasSize(1);
        assertThat(api.send("GET", "/api/commands?status=bogus", api.adminToken, null).statusCode()).isEqualTo(400);
    }

    @Test
    void aClientCanNeitherPollNorAnswerAnotherClientsCommands() throws Exception {
        CommandView forB = queue(b.clientId(), "fan_control", params("action", "status"));
        assertThatThrownBy(() -> api.client.pollCommands(a.clientToken(), b.clientId(), Duration.ZERO))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.serverError()).contains("only its own commands");
                });
        assertThat(api.client.pollCommands(b.clientToken(), b.clientId(), Duration.ZERO)).extracting(CommandView::id).contains(forB.id());
        assertThatThrownBy(() -> api.client.reportResult(a.clientToken(), new CommandResult(forB.id(), 0, "forged", "")))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(api.client.reportResult(b.clientToken(), new CommandResult(forB.id(), 0, "ok", "")).status()).isEqualTo("succeeded");
    }

    @Test
    void aPollWithNothingQueuedAnswersEmptyAfterItsWait() throws Exception {
        RegisterResponse me = api.register("cmd-empty");
        long t0 = System.nanoTime();
        assertThat(api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ofSeconds(1))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        HttpResponse<String> tooLong = api.send("GET", "/api/commands/" + me.clientId() + "?wait=3600", me.clientToken(), null);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(ApiSecurityEndToEndTest.error(tooLong)).contains("wait was 3600");
    }

    @Test
    void aCommandQueuedWhileTheAgentWaitsWakesThePoll() throws Exception {
        RegisterResponse me = api.register("cmd-wake");
        List<Long> latenciesMs = new ArrayList<>();
        for (int trial = 0; trial < 20; trial++) {
            int before = waitingPolls();
            CompletableFuture<List<CommandView>> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ofSeconds(30));
                } catch (DcmonClientException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            awaitWaiting(before + 1);
            long t0 = System.nanoTime();
            CommandView q = queue(me.clientId(), "fan_control", params("action", "status"));
            List<CommandView> got = poll.get(30, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            latenciesMs.add(ms);
            assertThat(got).extracting(CommandView::id).containsExactly(q.id());
            // woken by the command, not by the 30 s timeout
            assertThat(ms).isLessThan(25_000);
        }
        Collections.sort(latenciesMs);
        log.info("long-poll wake-up latency over 20 trials (queue request included): median {} ms, max {} ms",
                latenciesMs.get(10), latenciesMs.get(19));
    }

    @Test
    void twoHundredWaitingPollsHoldFewServerThreads() throws Exception {
        // 50 agents x 4 polls each (the per-client cap); keys are generated in parallel to keep the test short
        List<RegisterResponse> clients = java.util.stream.IntStream.range(0, 50).parallel().mapToObj(i -> {
            try {
                return api.register("cmd-many-" + i);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        int before = waitingPolls();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (RegisterResponse c : clients) {
            for (int k = 0; k < CommandWaiters.MAX_PER_CLIENT; k++) {
                polls.add(api.http.sendAsync(java.net.http.HttpRequest.newBuilder(api.uri("/api/commands/" + c.clientId() + "?wait=20"))
                        .header("Authorization", "Bearer " + c.clientToken()).build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        awaitWaiting(before + 200);
        QueuedThreadPool threads = (QueuedThreadPool) api.server.jetty().getThreadPool();
        int busy = threads.getBusyThreads();
        log.info(String.format(Locale.ROOT, "200 waiting long-polls: %d busy server threads, %d threads in the pool (max %d)",
                busy, threads.getThreads(), threads.getMaxThreads()));
        assertThat(busy).isLessThan(20);
        // one command per client wakes exactly one of its polls; revoking the client releases the other three
        for (RegisterResponse c : clients) {
            queue(c.clientId(), "fan_control", params("action", "status"));
        }
        for (RegisterResponse c : clients) {
            assertThat(api.send("DELETE", "/api/clients/" + c.clientId(), api.adminToken, null).statusCode()).isEqualTo(204);
        }
        int withCommand = 0;
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            withCommand += Json.mapper().readTree(r.body()).get("commands").size();
        }
        assertThat(withCommand).isEqualTo(clients.size());
    }

    @Test
    void revokingAClientReleasesItsPollAndItsTokenStopsWorking() throws Exception {
        RegisterResponse me = api.register("cmd-revoked");
        int before = waitingPolls();
        CompletableFuture<List<CommandView>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ofSeconds(30));
            } catch (DcmonClientException e) {
                throw new IllegalStateException(e);
            }
        }, pool);
        awaitWaiting(before + 1);
        HttpResponse<String> del = api.send("DELETE", "/api/clients/" + me.clientId(), api.adminToken, null);
        assertThat(del.statusCode()).isEqualTo(204);
        assertThat(poll.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(() -> api.client.verify(me.clientToken()))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(api.send("DELETE", "/api/clients/" + me.clientId(), api.adminToken, null).statusCode()).isEqualTo(404);
        assertThat(api.send("POST", "/api/commands", api.adminToken,
                "{\"client_id\":" + me.clientId() + ",\"type\":\"reboot\",\"params\":{}}").statusCode()).isEqualTo(404);
    }
}
