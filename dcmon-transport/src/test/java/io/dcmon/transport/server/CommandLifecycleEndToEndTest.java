package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.NewCommand;
import io.dcmon.transport.wire.RegisterResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command lifecycle's edges over a real server: a delivery lost with its connection is offered again, overdue
 * commands expire with one audit line each, and stopping the server answers waiting long-polls at once.
 */
class CommandLifecycleEndToEndTest {

    /** A clock the test moves forward; every service of the server reads it. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock();
    TestApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    TestApi start() throws Exception {
        api = TestApi.start(dir, ApiOptions.defaults().withCommandRedeliverAfter(Duration.ofMinutes(2)), clock);
        return api;
    }

    CommandView queue(long clientId, String type, String paramsJson, Long expiresIn) throws Exception {
        return api.client.queueCommand(api.adminToken, new NewCommand(clientId, type, Json.mapper().readTree(paramsJson), expiresIn));
    }

    String status(long commandId) throws Exception {
        JsonNode list = Json.mapper().readTree(api.send("GET", "/api/commands?limit=1000", api.adminToken, null).body()).get("commands");
        for (JsonNode c : list) {
            if (c.get("id").asLong() == commandId) {
                return c.get("status").asText();
            }
        }
        throw new AssertionError("command " + commandId + " is not listed");
    }

    /** The audit file's lines of one event about one command. */
    List<JsonNode> audited(String event, long commandId) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        List<JsonNode> out = new java.util.ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                JsonNode n = Json.mapper().readTree(line);
                if (n.path("event").asText().equals(event) && n.path("command_id").asLong() == commandId) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    int waitingPolls() throws Exception {
        return Json.mapper().readTree(api.send("GET", "/api/stats", api.adminToken, null).body()).get("waiting_polls").asInt();
    }

    void awaitWaiting(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waitingPolls() < n) {
            assertThat(System.nanoTime()).as("%d polls never waited", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aDeliveryLostWithItsConnectionIsOfferedAgainAfterTheTimeoutAndThenFinishes() throws Exception {
        start();
        RegisterResponse agent = api.register("drop-host");
        String port = Integer.toString(api.server.uri().getPort());
        // a real long-poll on its own socket, dropped by the "agent" before any command exists
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(port))) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/commands/" + agent.clientId() + "?wait=30 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAuthorization: Bearer " + agent.clientToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitWaiting(1);
        }
        CommandView cmd = queue(agent.clientId(), "fan_control", "{\"action\":\"set_mode\",\"mode\":\"full\"}", null);
        // the waiting poll took it: the server cannot know that the answer went nowhere
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!status(cmd.id()).equals("delivered") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(status(cmd.id())).isEqualTo("delivered");

        clock.advance(Duration.ofSeconds(100));
        assertThat(api.client.pollCommands(agent.clientToken(), agent.clientId(), Duration.ZERO))
                .as("before the redelivery timeout the agent may still be running it").isEmpty();

        clock.advance(Duration.ofSeconds(21));
        List<CommandView> again = api.client.pollCommands(agent.clientToken(), agent.clientId(), Duration.ZERO);
        assertThat(again).extracting(CommandView::id).containsExactly(cmd.id());
        assertThat(again.get(0).params()).containsEntry("mode", "full");
        assertThat(audited("command_redelivered", cmd.id())).hasSize(1);
        assertThat(audited("command_delivered", cmd.id())).hasSize(2);

        assertThat(api.client.reportResult(agent.clientToken(), new CommandResult(cmd.id(), 0, "fan mode is now full", "")).status())
                .isEqualTo("succeeded");
        clock.advance(Duration.ofMinutes(5));
        assertThat(api.client.pollCommands(agent.clientToken(), agent.clientId(), Duration.ZERO)).as("answered: never offered again").isEmpty();
        assertThat(audited("command_finished", cmd.id())).hasSize(1);
    }

    @Test
    void overdueCommandsExpireWithOneAuditLineEachWhetherTheClientPollsOrNot() throws Exception {
        start();
        RegisterResponse polling = api.register("polls");
        RegisterResponse silent = api.register("gone-quiet");
        CommandView a = queue(polling.clientId(), "reboot", "{}", 60L);
        CommandView b = queue(silent.clientId(), "reboot", "{}", 60L);
        CommandView c = queue(silent.clientId(), "reboot", "{}", 3600L);
        clock.advance(Duration.ofSeconds(61));

        assertThat(api.client.pollCommands(polling.clientToken(), polling.clientId(), Duration.ZERO)).isEmpty();
        assertThat(status(a.id())).isEqualTo("expired");
        assertThat(audited("command_expired", a.id())).singleElement()
                .satisfies(n -> assertThat(n.get("was").asText()).isEqualTo("queued"));

        // the client that stopped polling: the periodic sweep (run here directly) expires its overdue command
        hub().service.expireDue();
        hub().service.expireDue();
        assertThat(status(b.id())).isEqualTo("expired");
        assertThat(status(c.id())).isEqualTo("queued");
        assertThat(audited("command_expired", b.id())).hasSize(1);
        assertThat(audited("command_expired", c.id())).isEmpty();
        assertThat(audited("command_expired", a.id())).as("expired once, audited once").hasSize(1);
    }

    @Test
    void aDeliveredCommandThatExpiresStillAcceptsTheResultOfTheAgentThatRanIt() throws Exception {
        start();
        RegisterResponse agent = api.register("slow-host");
        CommandView cmd = queue(agent.clientId(), "reboot", "{\"delay_seconds\":5}", 60L);
        assertThat(api.client.pollCommands(agent.clientToken(), agent.clientId(), Duration.ZERO)).hasSize(1);
        clock.advance(Duration.ofSeconds(90));
        hub().service.expireDue();
        assertThat(status(cmd.id())).isEqualTo("expired");
        assertThat(api.client.reportResult(agent.clientToken(), new CommandResult(cmd.id(), 0, "reboot in 5 s", "")).status())
                .isEqualTo("succeeded");
    }

    @Test
    void stoppingTheServerAnswersAWaitingLongPollAtOnce() throws Exception {
        start();
        RegisterResponse agent = api.register("waiting-host");
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return api.send("GET", "/api/commands/" + agent.clientId() + "?wait=60", agent.clientToken(), null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitWaiting(1);
        long t0 = System.nanoTime();
        api.server.close();
        long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        HttpResponse<String> answered = poll.get(10, TimeUnit.SECONDS);
        System.out.printf("server stop with one waiting long-poll: %d ms (machine shared with other builds)%n", stopMs);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(answered.body()).get("commands")).isEmpty();
        // without the early answer Jetty waits out its whole 5 s stop timeout for the open poll, then gives up
        assertThat(stopMs).as("stop did not wait for the poll").isLessThan(DcmonServer.STOP_TIMEOUT_MS);
    }

    CommandHub hub() {
        return ((ServletContextHandler) api.server.jetty().getHandler()).getBean(CommandHub.class);
    }
}
