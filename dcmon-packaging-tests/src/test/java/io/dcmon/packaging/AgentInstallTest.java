package io.dcmon.packaging;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * packaging/agent/install.sh and uninstall.sh against a scratch root, registering with a real dcmon
 * server (dev mode, loopback); systemctl, apt-get and friends are recorded.
 */
class AgentInstallTest {

    @TempDir
    static Path shared;
    static DevServer server;

    @TempDir
    Path tmp;
    Scratch s;
    Path jar;
    Path install;
    Path uninstall;
    SortedMap<String, String> baseline;

    @BeforeAll
    static void startServer() throws Exception {
        server = DevServer.start(shared.resolve("server"), 0);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        s = Scratch.create(tmp);
        jar = Tools.jar("dcmon.agent.jar");
        install = Tools.packaging().resolve("agent/install.sh");
        uninstall = Tools.packaging().resolve("agent/uninstall.sh");
        baseline = Manifest.of(s.root);
    }

    @Test
    @DisplayName("install installs the tools, writes agent.yaml, registers unattended, starts the unit; a second run changes "
            + "nothing; uninstall keeps config, key, token and spool until --purge")
    void installRerunUninstallPurge() throws Exception {
        Scratch.Result r = s.run(install, "--jar", jar.toString(), "--server", server.url(),
                "--admin-token-file", server.adminToken().toString(), "--interval", "5");

        assertThat(r.exit()).as(r.toString()).isZero();
        SortedMap<String, String> m = Manifest.of(s.root);
        Map<String, String> added = new TreeMap<>(m);
        added.keySet().removeAll(baseline.keySet());
        assertThat(added.keySet()).containsExactly(
                "etc/dcmon", "etc/dcmon/agent.yaml", "etc/dcmon/auth",
                "etc/dcmon/auth/client_id", "etc/dcmon/auth/client_key.pem", "etc/dcmon/auth/client_token", "etc/dcmon/auth/server_url",
                "etc/systemd/system/dcmon-agent.service",
                "opt/dcmon", "opt/dcmon/dcmon-agent.jar",
                "usr/local/bin/dcmon-agent",
                "var/lib/dcmon-agent", "var/lib/dcmon-agent/spool");
        assertThat(m).containsEntry("etc/dcmon", "d 755").containsEntry("etc/dcmon/auth", "d 700")
                .containsEntry("var/lib/dcmon-agent", "d 700").containsEntry("var/lib/dcmon-agent/spool", "d 700");
        for (String secret : new String[] {"client_id", "client_key.pem", "client_token", "server_url"}) {
            assertThat(Manifest.mode(s.at("/etc/dcmon/auth/" + secret))).as(secret).isEqualTo("600");
        }
        assertThat(Manifest.mode(s.at("/etc/dcmon/agent.yaml"))).isEqualTo("644");
        assertThat(s.at("/etc/systemd/system/dcmon-agent.service")).hasSameTextualContentAs(Tools.packaging().resolve("agent/dcmon-agent.service"));
        assertThat(Manifest.sha256(s.at("/opt/dcmon/dcmon-agent.jar"))).isEqualTo(Manifest.sha256(jar));
        // agent.yaml is the shipped file with exactly the two keys given on the command line changed
        assertThat(Files.readString(s.at("/etc/dcmon/agent.yaml"))).isEqualTo(
                Files.readString(Tools.packaging().resolve("agent/agent.yaml"))
                        .replace("server: https://dcmon-server.invalid:8443", "server: \"" + server.url() + "\"")
                        .replace("interval: 30", "interval: 5"));
        assertThat(s.at("/etc/dcmon/auth/server_url")).content().isEqualToIgnoringNewLines(server.url());

        assertThat(s.calls("dpkg-query")).hasSize(3);
        assertThat(s.calls("apt-get")).containsExactly("install -y -q --no-install-recommends ipmitool nvme-cli smartmontools");
        assertThat(s.calls("systemctl")).containsExactly(
                "daemon-reload", "enable --quiet dcmon-agent.service", "restart dcmon-agent.service");
        assertThat(r.output()).contains("registering with " + server.url(), "Registered with", "registered with " + server.url() + " as client");

        s.clearCalls();
        Scratch.Result again = s.run(install, "--jar", jar.toString());

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(Manifest.of(s.root)).isEqualTo(m);
        assertThat(s.calls("apt-get")).isEmpty();
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-agent.service", "start dcmon-agent.service");
        assertThat(again.output()).contains("registration: registered and verified").doesNotContain("Registered with");

        // uninstall keeps agent.yaml, key, token and spool; --purge removes those too
        Files.writeString(s.at("/var/lib/dcmon-agent/spool/000001.batch"), "an unsent batch");
        SortedMap<String, String> installed = Manifest.of(s.root);
        s.clearCalls();
        Scratch.Result u = s.run(uninstall);

        assertThat(u.exit()).as(u.toString()).isZero();
        SortedMap<String, String> kept = new TreeMap<>(baseline);
        installed.forEach((path, what) -> {
            if (path.startsWith("etc/dcmon/") || path.equals("etc/dcmon") || path.startsWith("var/lib/dcmon-agent")) {
                kept.put(path, what);
            }
        });
        assertThat(Manifest.of(s.root)).isEqualTo(kept);
        assertThat(s.calls("systemctl")).containsExactly("disable --now --quiet dcmon-agent.service", "daemon-reload",
                "reset-failed dcmon-agent.service");

        Scratch.Result purge = s.run(uninstall, "--purge");
        assertThat(purge.exit()).as(purge.toString()).isZero();
        assertThat(Manifest.of(s.root)).isEqualTo(baseline);
        assertThat(s.run(uninstall).exit()).as("uninstalling twice is fine").isZero();
    }

    @Test
    @DisplayName("re-run: server unreachable (3) keeps the registration; a token the server rejects (1) is replaced by registering again")
    void rerunFollowsTheAgentStatus() throws Exception {
        Scratch.Result r = s.run(install, "--jar", jar.toString(), "--no-tools", "--server", server.url(),
                "--admin-token-file", server.adminToken().toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        String key = Files.readString(s.at("/etc/dcmon/auth/client_key.pem"));
        String id = Files.readString(s.at("/etc/dcmon/auth/client_id"));
        SortedMap<String, String> registered = Manifest.of(s.root);
        s.clearCalls();

        // nothing listens there: the agent cannot ask, so its registration must survive untouched
        String unreachable = "http://127.0.0.1:" + DevServer.freePort();
        Scratch.Result down = s.run(install, "--jar", jar.toString(), "--no-tools", "--server", unreachable);

        assertThat(down.exit()).as(down.toString()).isZero();
        assertThat(down.output()).contains("cannot be reached now; keeping the registration").doesNotContain("Registered with");
        SortedMap<String, String> expected = new TreeMap<>(registered);
        expected.put("etc/dcmon/agent.yaml", Manifest.of(s.root).get("etc/dcmon/agent.yaml"));
        assertThat(Manifest.of(s.root)).as("only the server line of agent.yaml changed").isEqualTo(expected);
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-agent.service", "restart dcmon-agent.service");

        // back to the real server, whose answer for this token is now 401 (as after the server lost it)
        Files.writeString(s.at("/etc/dcmon/auth/client_token"), "a-token-the-server-never-issued\n");
        s.clearCalls();
        Scratch.Result forgot = s.run(install, "--jar", jar.toString(), "--no-tools", "--server", server.url(),
                "--admin-token-file", server.adminToken().toString());

        assertThat(forgot.exit()).as(forgot.toString()).isZero();
        assertThat(forgot.output()).contains("no longer knows this agent", "registering again", "Registered with");
        assertThat(Files.readString(s.at("/etc/dcmon/auth/client_token"))).isNotEqualTo("a-token-the-server-never-issued\n");
        assertThat(Files.readString(s.at("/etc/dcmon/auth/client_key.pem"))).as("same identity key").isEqualTo(key);
        assertThat(Files.readString(s.at("/etc/dcmon/auth/client_id"))).as("same key, same client").isEqualTo(id);
        assertThat(Manifest.mode(s.at("/etc/dcmon/auth/client_token"))).isEqualTo("600");
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-agent.service", "restart dcmon-agent.service");
    }

    @Test
    @DisplayName("without an admin token registration fails and the unit is not enabled; a re-run with DCMON_ADMIN_TOKEN finishes")
    void missingAdminTokenLeavesTheUnitOffUntilARerun() throws Exception {
        s.packageInstalled("ipmitool");
        s.packageInstalled("nvme-cli");
        s.packageInstalled("smartmontools");

        Scratch.Result r = s.run(install, "--jar", jar.toString(), "--server", server.url());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("No admin token", "the service was not (re)started");
        assertThat(s.calls("systemctl")).containsExactly("daemon-reload");
        assertThat(s.calls("apt-get")).as("the tools were already installed").isEmpty();

        s.clearCalls();
        s.env.put("DCMON_ADMIN_TOKEN", Files.readString(server.adminToken()).trim());
        Scratch.Result again = s.run(install, "--jar", jar.toString());

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.output()).contains("Registered with " + server.url());
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-agent.service", "restart dcmon-agent.service");
    }

    @Test
    @DisplayName("without token file or variable, registration asks for the admin token in the terminal, without echo")
    void asksForTheAdminTokenInATerminal() throws Exception {
        String admin = Files.readString(server.adminToken()).trim();

        Scratch.Result r = s.runInTerminal(install, "Admin token for", admin,
                "--jar", jar.toString(), "--no-tools", "--server", server.url());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.output()).contains("Admin token for " + server.url(), "Registered with " + server.url())
                .doesNotContain(admin);
        assertThat(s.calls("systemctl")).contains("enable --quiet dcmon-agent.service");
    }

    @Test
    void firstInstallNeedsAValidServerUrl() throws Exception {
        Scratch.Result none = s.run(install, "--jar", jar.toString(), "--no-tools");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.output()).contains("--server URL is needed for the first installation");
        assertThat(s.at("/etc/dcmon/agent.yaml")).doesNotExist();

        Scratch.Result bad = s.run(install, "--jar", jar.toString(), "--server", "http://x|y");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.output()).contains("--server was 'http://x|y' but it must be an http:// or https:// URL");
        assertThat(s.calls("systemctl")).isEmpty();
    }
}
