package io.dcmon.hardware.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolRunnerTest {

    @TempDir
    Path dir;

    @Test
    void secondCallWhileTheFirstRunsIsRefusedAsBusy() throws Exception {
        Path started = dir.resolve("started");
        Path s = ProcessCommandRunnerTest.script(dir, "slow.sh", "touch " + started + "; sleep 3; echo \"$@\"");
        ToolRunner tr = ToolRunner.local(new Tool(s.toString(), List.of("--base"), Duration.ofSeconds(20)));
        CompletableFuture<CommandResult> first = CompletableFuture.supplyAsync(() -> {
            try {
                return tr.run("one");
            } catch (ToolException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(started) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(tr.busy()).isTrue();
        assertThatThrownBy(() -> tr.run("two"))
                .isInstanceOf(ToolException.Busy.class)
                .hasMessageContaining("slow.sh: previous call still running");
        assertThat(first.get(20, TimeUnit.SECONDS).stdout()).isEqualTo("--base one\n");
        assertThat(tr.busy()).isFalse();
        assertThat(tr.run("three").stdout()).isEqualTo("--base three\n");
    }

    @Test
    void failedCallReleasesTheGuard() throws Exception {
        Path s = ProcessCommandRunnerTest.script(dir, "bad.sh", "exit 1");
        ToolRunner tr = ToolRunner.local(Tool.of(s.toString(), Duration.ofSeconds(5)));
        assertThatThrownBy(tr::run).isInstanceOf(ToolException.Failed.class);
        assertThatThrownBy(tr::run).isInstanceOf(ToolException.Failed.class);
        assertThat(tr.busy()).isFalse();
    }

    @Test
    void toolValidatesItsConfiguration() {
        assertThatThrownBy(() -> Tool.of(" ", Duration.ofSeconds(1))).hasMessageContaining("binary was blank");
        assertThatThrownBy(() -> Tool.of("x", Duration.ofSeconds(-1))).hasMessageContaining("timeout was 'PT-1S'");
        assertThat(Tool.of("/opt/bin/nvidia-smi", Duration.ofSeconds(5)).name()).isEqualTo("nvidia-smi");
        assertThat(new Tool("ipmitool", List.of("-I", "lanplus"), Duration.ofSeconds(5)).command(List.of("sensor")))
                .containsExactly("ipmitool", "-I", "lanplus", "sensor");
    }

    @Test
    void locateFindsShOnPathAndNotAMissingFile() {
        assertThat(ToolRunner.local(Tool.of("sh", Duration.ofSeconds(1))).locate()).isPresent();
        assertThat(ToolRunner.local(Tool.of(dir.resolve("nope").toString(), Duration.ofSeconds(1))).locate()).isEmpty();
    }
}
