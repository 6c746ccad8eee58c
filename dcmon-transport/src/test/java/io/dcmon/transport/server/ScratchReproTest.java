package io.dcmon.transport.server;

import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

class ScratchReproTest {
    @TempDir
    Path dir;

    @Test
    void repro() throws Exception {
        try (TestApi api = TestApi.start(dir)) {
            List<RegisterResponse> cs = new ArrayList<>();
            for (int i = 0; i < 10; i++) cs.add(api.register("r" + i));
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
                for (RegisterResponse c : cs) for (int k = 0; k < 6; k++)
                    polls.add(api.http.sendAsync(HttpRequest.newBuilder(api.uri("/api/commands/" + c.clientId() + "?wait=2"))
                        .header("Authorization", "Bearer " + c.clientToken()).build(), HttpResponse.BodyHandlers.ofString()));
                for (int j = 0; j < 40; j++) {
                    HttpResponse<String> r = api.send("POST", "/api/commands", api.adminToken, "{\"client_id\":" + cs.get(j % 10).clientId() + ",\"type\":\"reboot\",\"params\":{\"delay_seconds\":-1}}");
                    if (r.statusCode() != 400) System.err.println("BAD " + r.statusCode() + " " + r.body());
                    HttpResponse<String> q = api.send("POST", "/api/commands", api.adminToken, "{\"client_id\":" + cs.get(j % 10).clientId() + ",\"type\":\"reboot\",\"params\":{}}");
                    if (q.statusCode() != 201) System.err.println("BADQ " + q.statusCode() + " " + q.body());
                    Thread.sleep(50);
                }
                for (var p : polls) { var r = p.get(); if (r.statusCode() != 200) System.err.println("BADP " + r.statusCode() + " " + r.body()); }
            }
        }
    }
}
