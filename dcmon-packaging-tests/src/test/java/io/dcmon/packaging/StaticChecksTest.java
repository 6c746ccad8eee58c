package io.dcmon.packaging;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** shellcheck on every script (packaging/ and scripts/), systemd-analyze verify on both units, and what the units must contain. */
class StaticChecksTest {

    /**
     * Every shell file under packaging/ (the scripts, the command wrappers, the shared library) and the measuring
     * scripts under scripts/ beside it.
     */
    static Stream<Path> scripts() throws IOException {
        List<Path> found = new ArrayList<>();
        Path measuring = Tools.packaging().resolveSibling("scripts");
        for (Path dir : Files.isDirectory(measuring) ? List.of(Tools.packaging(), measuring) : List.of(Tools.packaging())) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.filter(Files::isRegularFile).filter(StaticChecksTest::isShell).sorted().forEach(found::add);
            }
        }
        assertThat(found).extracting(p -> Tools.packaging().relativize(p).toString()).contains(
                "server/install.sh", "server/uninstall.sh", "agent/install.sh", "agent/uninstall.sh",
                "server/dcmon-server", "agent/dcmon-agent", "lib/common.sh");
        return found.stream();
    }

    static Stream<String> units() {
        return Stream.of("server/dcmon-server.service", "agent/dcmon-agent.service");
    }

    private static boolean isShell(Path p) {
        try {
            String head = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            return p.toString().endsWith(".sh") || head.startsWith("#!/usr/bin/env bash") || head.startsWith("#!/bin/bash");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptIsShellcheckClean(Path script) throws Exception {
        Path shellcheck = Tools.require("shellcheck", "shellcheck");
        Run r = run(script.getParent(), shellcheck.toString(), "--external-sources", "--severity=style", script.toString());
        assertThat(r.output).as("shellcheck %s", script).isEmpty();
        assertThat(r.exit).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    @DisplayName("every runnable script is bash with set -euo pipefail")
    void scriptRunsInStrictMode(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script);
        if (script.getFileName().toString().equals("common.sh")) {
            assertThat(lines.get(0)).as("a sourced library names its shell for shellcheck").isEqualTo("# shellcheck shell=bash");
            return;
        }
        assertThat(lines.get(0)).isEqualTo("#!/usr/bin/env bash");
        assertThat(lines).contains("set -euo pipefail");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void unitPassesSystemdAnalyzeVerify(String unit, @TempDir Path tmp) throws Exception {
        Run r = verify(Tools.packaging().resolve(unit), tmp);
        assertThat(r.output).as("systemd-analyze verify %s", unit).isEmpty();
        assertThat(r.exit).isZero();
    }

    @Test
    @DisplayName("the verify check above can fail: it reports an unknown key and a bad value")
    void verifyReportsABrokenUnit(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken/dcmon-server.service");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, Files.readString(Tools.packaging().resolve("server/dcmon-server.service"))
                .replace("Restart=on-failure", "Restart=sometimes\nProtectSystm=strict"));
        Run r = verify(broken, tmp);
        assertThat(r.output).contains("ProtectSystm").contains("sometimes");
    }

    /**
     * Runs systemd-analyze verify on a copy of the unit in its own directory. The copy is the file as
     * shipped, except that when this machine has no /usr/bin/java (a JDK outside the distribution's
     * alternatives) the binary becomes the JVM running this test: verify checks that ExecStart's
     * binary exists, and the unit is meant for a machine where install.sh made sure it does.
     */
    private static Run verify(Path unit, Path tmp) throws Exception {
        Path analyze = Tools.require("systemd-analyze", "systemd");
        Path dir = Files.createDirectories(tmp.resolve("verify"));
        String text = Files.readString(unit);
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            text = text.replace("/usr/bin/java ", Tools.currentJava() + " ");
        }
        Path copy = dir.resolve(unit.getFileName());
        Files.writeString(copy, text);
        return run(dir, analyze.toString(), "verify", "./" + copy.getFileName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    @DisplayName("units are hardened, restart on failure and cap their memory")
    void unitIsHardened(String name) throws IOException {
        Unit u = Unit.read(Tools.packaging().resolve(name));
        assertThat(u.get("Service.NoNewPrivileges")).isEqualTo("true");
        assertThat(u.get("Service.ProtectSystem")).isEqualTo("strict");
        assertThat(u.get("Service.ProtectHome")).isEqualTo("true");
        assertThat(u.get("Service.PrivateTmp")).isEqualTo("true");
        assertThat(u.get("Service.Restart")).isEqualTo("on-failure");
        assertThat(u.get("Service.MemoryMax")).matches("\\d+M");
        assertThat(u.get("Service.UMask")).isEqualTo("0077");
        assertThat(u.get("Install.WantedBy")).isEqualTo("multi-user.target");
        assertThat(u.get("Service.ExecStart")).startsWith("/usr/bin/java ");
    }

    @Test
    void serverUnitRunsAsDcmonWithItsDataWritableAndTheDocumentedJvmFlags() throws IOException {
        Unit u = Unit.read(Tools.packaging().resolve("server/dcmon-server.service"));
        assertThat(u.get("Service.User")).isEqualTo("dcmon");
        assertThat(u.get("Service.Group")).isEqualTo("dcmon");
        assertThat(u.get("Service.ReadWritePaths").split(" ")).containsExactlyInAnyOrder("/var/lib/dcmon-server", "/etc/dcmon-server/auth");
        assertThat(u.execStart()).containsExactly("/usr/bin/java", "-Xms24m", "-Xmx128m", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/dcmon/dcmon-server.jar",
                "run", "--config", "/etc/dcmon-server/server.yaml");
        assertThat(u.get("Service.CapabilityBoundingSet")).as("no capability: 8443 needs none").isEmpty();
    }

    @Test
    void agentUnitRunsAsRootWithTheDocumentedJvmFlags() throws IOException {
        Unit u = Unit.read(Tools.packaging().resolve("agent/dcmon-agent.service"));
        assertThat(u.get("Service.User")).isEqualTo("root");
        assertThat(u.get("Service.ReadWritePaths").split(" ")).containsExactlyInAnyOrder("/etc/dcmon/auth", "/var/lib/dcmon-agent");
        assertThat(u.get("Service.PrivateDevices")).as("the agent reads /dev/ipmi0 and NVMe devices").isNull();
        assertThat(u.execStart()).containsExactly("/usr/bin/java", "-Xmx16m", "-Xmn2m", "-Xss256k", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:Tier3InvocationThreshold=2000",
                "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000",
                "-XX:MaxMetaspaceSize=32m", "-XX:ReservedCodeCacheSize=8m",
                "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0",
                "-XX:AsyncDeflationInterval=10000", "-XX:+ExitOnOutOfMemoryError",
                "-jar", "/opt/dcmon/dcmon-agent.jar", "run", "--config", "/etc/dcmon/agent.yaml");
        assertThat(u.get("Service.Environment")).as("fewer malloc arenas keep the agent's RSS down").isEqualTo("MALLOC_ARENA_MAX=2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server/server.yaml", "agent/agent.yaml"})
    @DisplayName("every key of a shipped config has a comment right above it")
    void everyConfigKeyIsCommented(String name) throws IOException {
        List<String> lines = Files.readAllLines(Tools.packaging().resolve(name));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^[a-z_]+:.*")) {
                keys.add(lines.get(i).substring(0, lines.get(i).indexOf(':')));
                assertThat(lines.get(i - 1)).as("line above '%s' in %s", lines.get(i), name).startsWith("#");
            }
        }
        assertThat(keys).isEqualTo(name.startsWith("server")
                ? List.of("host", "port", "auth_dir", "db_path", "test_mode", "use_tls", "metrics_days", "cleanup_interval", "log_level")
                : List.of("server", "auth_dir", "interval", "spool_dir", "spool_max_mb", "spool_max_age_hours", "log_level"));
        if (name.startsWith("agent")) {
            assertThat(lines).as("optional sections are documented, commented out").contains("#tools:", "#bmc:", "#fans:", "#commands:");
        } else {
            assertThat(lines).as("optional keys are documented, commented out").contains(
                    "#tls_cert_file: /etc/dcmon-server/tls/fullchain.pem", "#tls_key_file: /etc/dcmon-server/tls/privkey.pem");
        }
    }

    @Test
    void shippedServerConfigIsAcceptedByTheServer(@TempDir Path tmp) throws Exception {
        Path jar = Tools.jar("dcmon.server.jar");
        Run r = run(tmp, Tools.currentJava().toString(), "-jar", jar.toString(), "check-config",
                Tools.packaging().resolve("server/server.yaml").toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("is valid", "port=8443", "useTls=true", "authDir=/etc/dcmon-server/auth");
    }

    @Test
    @DisplayName("the shipped agent config, with its commented sections (tools, bmc, fans, commands) switched on, is accepted by the agent")
    void shippedAgentConfigIsAcceptedByTheAgent(@TempDir Path tmp) throws Exception {
        Path jar = Tools.jar("dcmon.agent.jar");
        String shipped = Files.readString(Tools.packaging().resolve("agent/agent.yaml"));
        String withTools = shipped.replaceAll("(?m)^#([a-z_]+:$|  )", "$1");
        assertThat(withTools).contains("\ntools:\n  nvidia_smi:\n", "\nbmc:\n  host:", "\nfans:\n", "\ncommands:\n  allowed:");
        for (String text : List.of(shipped, withTools)) {
            Path conf = tmp.resolve("agent.yaml");
            Files.writeString(conf, text);
            // status reads the config first; with an empty auth dir it then reports "nothing set up" (2)
            Run r = run(tmp, Tools.currentJava().toString(), "-jar", jar.toString(), "status",
                    "--config", conf.toString(), "--auth-dir", tmp.resolve("auth").toString());
            assertThat(r.output).contains("not set up");
            assertThat(r.exit).isEqualTo(2);
        }
    }

    record Run(int exit, String output) {
    }

    static Run run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }
}
