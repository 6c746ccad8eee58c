package io.dcmon.hardware.ipmi;

import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ToolException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpmitoolTest {

    @Test
    void localUsesTheOpenInterfaceWithoutConnectionArguments() {
        Ipmitool local = Ipmitool.local();
        assertThat(local.command(List.of("sensor"))).containsExactly("ipmitool", "sensor");
        assertThat(local.isLan()).isFalse();
        assertThat(local.target()).isEqualTo("local BMC (/dev/ipmi0)");
        assertThat(local.timeout()).isEqualTo(Ipmitool.DEFAULT_TIMEOUT);
    }

    @Test
    void lanBuildsLanplusArgumentsInIpmitoolsOrder() {
        Ipmitool lan = Ipmitool.lan("127.0.0.1").port(9623).user("ADMIN").password("s3cret").cipherSuite(3)
                .lanTimeoutSeconds(1).retries(1).binary("/usr/bin/ipmitool").timeout(Duration.ofSeconds(5)).build();
        assertThat(lan.command(List.of("raw", "0x30", "0x45", "0x00"))).containsExactly("/usr/bin/ipmitool", "-I", "lanplus",
                "-H", "127.0.0.1", "-p", "9623", "-U", "ADMIN", "-P", "s3cret", "-C", "3", "-N", "1", "-R", "1",
                "raw", "0x30", "0x45", "0x00");
    }

    @Test
    void passwordFileUsesDashF() {
        Ipmitool lan = Ipmitool.lan("bmc1").user("ADMIN").passwordFile(Path.of("/etc/dcmon/bmc.pw")).build();
        assertThat(lan.command(List.of("sensor"))).containsSequence("-f", "/etc/dcmon/bmc.pw").doesNotContain("-P");
    }

    @Test
    void neverShowsThePasswordInDescriptionsOrErrors() {
        List<List<String>> ran = new ArrayList<>();
        CommandRunner failing = (cmd, timeout) -> {
            ran.add(cmd);
            throw new ToolException.Failed(String.join(" ", cmd) + " exited with status 1",
                    new CommandResult(1, "", "Error: Unable to establish IPMI v2 / RMCP+ session (password s3cret?)", Duration.ZERO));
        };
        Ipmitool lan = Ipmitool.lan("bmc1").user("ADMIN").password("s3cret").runner(failing).build();

        assertThat(lan.toString()).doesNotContain("s3cret").contains("-P <masked>");
        assertThat(lan.describe(List.of("sensor"))).isEqualTo("ipmitool -I lanplus -H bmc1 -U ADMIN -P <masked> sensor");
        assertThatThrownBy(() -> lan.run("sensor"))
                .isInstanceOf(ToolException.Failed.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("-P <masked> sensor exited with status 1; stderr: Error: Unable to establish IPMI v2");
        assertThat(ran).singleElement().satisfies(argv -> assertThat(argv).contains("s3cret")); // the real argv still carries it
    }

    @Test
    void rejectsInconsistentSettingsNamingThem() {
        assertThatThrownBy(() -> Ipmitool.builder().user("ADMIN").build())
                .hasMessageContaining("apply to a BMC over LAN only");
        assertThatThrownBy(() -> Ipmitool.lan("bmc").password("a").passwordFile(Path.of("/x")).build())
                .hasMessageContaining("give one of them");
        assertThatThrownBy(() -> Ipmitool.lan("bmc").port(70000).build()).hasMessage("port was 70000 but it must be from 1 to 65535");
        assertThatThrownBy(() -> Ipmitool.lan("-oProxyCommand").build()).hasMessageContaining("host was '-oProxyCommand'");
        assertThatThrownBy(() -> Ipmitool.builder().timeout(Duration.ZERO).build()).hasMessageContaining("timeout was 'PT0S'");
    }

    @Test
    void secondCallerWaitsForTheFirstInsteadOfRunningConcurrently() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
        CommandRunner slow = (cmd, timeout) -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return new CommandResult(0, "ok", "", Duration.ofMillis(50));
        };
        Ipmitool ipmitool = Ipmitool.builder().runner(slow).timeout(Duration.ofSeconds(5)).build();
        Thread other = new Thread(() -> {
            try {
                ipmitool.run("sensor");
            } catch (ToolException e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        ipmitool.run("sensor");
        other.join();
        assertThat(maxInFlight).hasValue(1);
    }
}
