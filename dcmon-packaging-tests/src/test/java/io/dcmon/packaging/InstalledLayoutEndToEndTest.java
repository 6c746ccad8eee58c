package io.dcmon.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installed layout, run on this machine without systemd: both install scripts write into a
 * scratch root, then the server and the agent are started from their units' ExecStart lines (paths
 * mapped into the root, as a chroot would see them), the agent having registered through
 * install.sh's unattended path; samples must arrive. Then both are upgraded with newer jars and
 * restarted the way systemd would on install.sh's request, keeping data and identities; finally
 * both are purged.
 */
class InstalledLayoutEndToEndTest {

    private static final String METRIC = "node_cpu_count";

    @TempDir
    Path tmp;
    private final List<Service> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Service s : running) {
            s.close();
        }
    }

    @Test
    @DisplayName("install both, start them from ExecStart, register unattended, see samples; upgrade both keeping state; purge")
    void installedServerAndAgentExchangeSamples() throws Exception {
        Scratch s = Scratch.create(tmp);
        SortedMap<String, String> baseline = Manifest.of(s.root);
        Path serverJar = Tools.jar("dcmon.server.jar");
        Path agentJar = Tools.jar("dcmon.agent.jar");
        Path serverInstall = Tools.packaging().resolve("server/install.sh");
        Path agentInstall = Tools.packaging().resolve("agent/install.sh");
        int port = DevServer.freePort();

        Scratch.Result si = s.run(serverInstall, "--jar", serverJar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port));
        assertThat(si.exit()).as(si.toString()).isZero();
        // What a chroot would do for the server's own paths; TLS is off until the server can serve it.
        Path conf = s.at("/etc/dcmon-server/server.yaml");
        Files.writeString(conf, mapPaths(Files.readString(conf), s.root, "/etc/dcmon-server/", "/var/lib/dcmon-server/")
                .replace("use_tls: true", "use_tls: false"));

        Unit serverUnit = Unit.read(s.at("/etc/systemd/system/dcmon-server.service"));
        Service server = start(serverUnit, s, "server.log");
        server.awaitReady(() -> server.output().contains("listening on"), Duration.ofSeconds(120), "installed server");
        Path adminToken = s.at("/etc/dcmon-server/auth/admin_token");
        assertThat(Manifest.mode(adminToken)).as("written by the server at first start").isEqualTo("600");
        String admin = Files.readString(adminToken).trim();

        Scratch.Result ai = s.run(agentInstall, "--jar", agentJar.toString(), "--server", "http://127.0.0.1:" + port,
                "--admin-token-file", adminToken.toString(), "--interval", "2");
        assertThat(ai.exit()).as(ai.toString()).isZero();
        assertThat(ai.output()).contains("Registered with", "as client");
        Path agentConf = s.at("/etc/dcmon/agent.yaml");
        Files.writeString(agentConf, mapPaths(Files.readString(agentConf), s.root, "/etc/dcmon/", "/var/lib/dcmon-agent/"));

        Unit agentUnit = Unit.read(s.at("/etc/systemd/system/dcmon-agent.service"));
        Service agent = start(agentUnit, s, "agent.log");
        long firstSeen = awaitSamplesAfter(0, port, admin, agent);

        // upgrade the server: install.sh asks systemd for a restart; do what systemd would
        Path newerServer = Jars.newerCopy(serverJar, tmp.resolve("newer/dcmon-server.jar"));
        s.clearCalls();
        Scratch.Result su = s.run(serverInstall, "--jar", newerServer.toString());
        assertThat(su.exit()).as(su.toString()).isZero();
        assertThat(s.calls("systemctl")).contains("restart dcmon-server.service");
        assertThat(server.stop()).as("SIGTERM ends the server with 143, which the unit counts as success").isEqualTo(143);
        Service upgraded = start(serverUnit, s, "server-upgraded.log");
        upgraded.awaitReady(() -> upgraded.output().contains("listening on"), Duration.ofSeconds(120), "upgraded server");
        assertThat(Files.readString(adminToken).trim()).as("admin token kept").isEqualTo(admin);
        assertThat(upgraded.output()).doesNotContain("generated a new admin token");
        assertThat(countPoints(port, admin)).as("samples from before the upgrade are still there").isPositive();
        long afterServerUpgrade = awaitSamplesAfter(firstSeen, port, admin, agent);

        // upgrade the agent: key, token and config stay, so the restarted agent pushes without registering
        String clientToken = Files.readString(s.at("/etc/dcmon/auth/client_token"));
        Path newerAgent = Jars.newerCopy(agentJar, tmp.resolve("newer/dcmon-agent.jar"));
        s.clearCalls();
        Scratch.Result au = s.run(agentInstall, "--jar", newerAgent.toString());
        assertThat(au.exit()).as(au.toString()).isZero();
        assertThat(au.output()).contains("registration: registered and verified").doesNotContain("Registered with");
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-agent.service", "restart dcmon-agent.service");
        assertThat(agent.stop()).isEqualTo(143);
        Service agent2 = start(agentUnit, s, "agent-upgraded.log");
        awaitSamplesAfter(afterServerUpgrade, port, admin, agent2);
        assertThat(Files.readString(s.at("/etc/dcmon/auth/client_token"))).isEqualTo(clientToken);

        agent2.stop();
        upgraded.stop();
        assertThat(s.run(Tools.packaging().resolve("agent/uninstall.sh"), "--purge").exit()).isZero();
        assertThat(s.run(Tools.packaging().resolve("server/uninstall.sh"), "--purge").exit()).isZero();
        assertThat(Manifest.of(s.root)).isEqualTo(baseline);
    }

    @Test
    @DisplayName("TLS on (the shipped default): install.sh prints the certificate fingerprint; the agent pins it unattended")
    void fingerprintFromTheServerInstallPinsTheAgent() throws Exception {
        Scratch s = Scratch.create(tmp.resolve("machine"));
        Path serverJar = Tools.jar("dcmon.server.jar");
        Path agentJar = Tools.jar("dcmon.agent.jar");
        Path serverInstall = Tools.packaging().resolve("server/install.sh");
        Path agentInstall = Tools.packaging().resolve("agent/install.sh");
        int port = DevServer.freePort();

        assertThat(s.run(serverInstall, "--jar", serverJar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)).exit()).isZero();
        Path conf = s.at("/etc/dcmon-server/server.yaml");
        Files.writeString(conf, mapPaths(Files.readString(conf), s.root, "/etc/dcmon-server/", "/var/lib/dcmon-server/"));
        assertThat(Files.readString(conf)).contains("use_tls: true");
        Service server = start(Unit.read(s.at("/etc/systemd/system/dcmon-server.service")), s, "tls-server.log");
        server.awaitReady(() -> server.output().contains("listening on"), Duration.ofSeconds(120), "installed TLS server");

        // a re-run once the server has started prints what the operator needs for the agents
        Scratch.Result again = s.run(serverInstall, "--jar", serverJar.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        Matcher m = Pattern.compile("certificate: +(SHA256:[0-9A-F:]{95})").matcher(again.output());
        assertThat(m.find()).as(again.output()).isTrue();
        String fingerprint = m.group(1);
        assertThat(server.output()).as("the server logs the same fingerprint").contains(fingerprint.substring("SHA256:".length()));
        String url = "https://127.0.0.1:" + port;
        assertThat(again.output()).contains("dcmon server: " + url + "/", "--server " + url + " --server-fingerprint " + fingerprint);
        Path adminToken = s.at("/etc/dcmon-server/auth/admin_token");

        // without a terminal, registering over TLS succeeds only if install.sh passed the pin on
        Scratch.Result pinned = s.run(agentInstall, "--jar", agentJar.toString(), "--no-tools", "--server", url,
                "--admin-token-file", adminToken.toString(), "--server-fingerprint", fingerprint);
        assertThat(pinned.exit()).as(pinned.toString()).isZero();
        assertThat(pinned.output()).contains("Registered with " + url, "registered with " + url + " as client");
        assertThat(Manifest.mode(s.at("/etc/dcmon/auth/server_pin"))).as("the pin is kept with the token").isEqualTo("600");
        server.stop();
    }

    /** Points the config's absolute paths under these prefixes into the scratch root. */
    private static String mapPaths(String yaml, Path root, String... prefixes) {
        String out = yaml;
        for (String p : prefixes) {
            out = out.replaceAll("(?m)^([a-z_]+: )" + Pattern.quote(p), "$1" + Matcher.quoteReplacement(root + p));
        }
        return out;
    }

    private Service start(Unit unit, Scratch s, String log) throws IOException {
        Path workDir = s.at(unit.get("Service.WorkingDirectory"));
        Service svc = Service.start(unit.execStartUnder(s.root), workDir, tmp.resolve(log));
        running.add(svc);
        return svc;
    }

    /** Waits until the server holds a sample of METRIC newer than {@code afterMs}; returns the newest timestamp. */
    private long awaitSamplesAfter(long afterMs, int port, String admin, Service agent) throws Exception {
        long[] newest = {0};
        agent.awaitReady(() -> {
            try {
                newest[0] = newestPoint(port, admin);
                return newest[0] > afterMs;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }, Duration.ofSeconds(90), "a " + METRIC + " sample newer than " + afterMs + " via GET /api/metrics");
        return newest[0];
    }

    private long newestPoint(int port, String admin) throws IOException, InterruptedException {
        long newest = 0;
        for (JsonNode p : points(port, admin)) {
            newest = Math.max(newest, p.path("ts_ms").asLong());
        }
        return newest;
    }

    private int countPoints(int port, String admin) throws IOException, InterruptedException {
        return points(port, admin).size();
    }

    private List<JsonNode> points(int port, String admin) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/metrics?metric=" + METRIC))
                .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode series : new ObjectMapper().readTree(res.body()).path("series")) {
            series.path("points").forEach(out::add);
        }
        return out;
    }
}
