package io.dcmon.hardware.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProcessCommandRunnerTest {

    @TempDir
    Path dir;

    private final ProcessCommandRunner runner = ProcessCommandRunner.local();

    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void capturesStdoutStderrAndRunsWithLcAllC() throws Exception {
        Path s = script(dir, "ok.sh", "echo \"out $LC_ALL\"; echo err-line >&2; exit 0");
        CommandResult r = runner.run(List.of(s.toString()), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("out C\n");
        assertThat(r.stderr()).isEqualTo("err-line\n");
        assertThat(r.elapsed()).isPositive();
    }

    @Test
    void passesArgumentsWithoutAShell() throws Exception {
        Path s = script(dir, "args.sh", "for a in \"$@\"; do echo \"[$a]\"; done");
        CommandResult r = runner.run(List.of(s.toString(), "a b", "$HOME", "*"), Duration.ofSeconds(10));
        assertThat(r.stdout()).isEqualTo("[a b]\n[$HOME]\n[*]\n");
    }

    @Test
    void nonZeroExitIsFailedWithStderrInTheMessage() throws Exception {
        Path s = script(dir, "fail.sh", "echo partial; echo 'Could not open device at /dev/ipmi0' >&2; exit 3");
        ToolException.Failed f = catchThrowableOfType(ToolException.Failed.class,
                () -> runner.run(List.of(s.toString()), Duration.ofSeconds(10)));
        assertThat(f.getMessage()).contains("exited with status 3").contains("Could not open device at /dev/ipmi0");
        assertThat(f.result().exitCode()).isEqualTo(3);
        assertThat(f.result().stdout()).isEqualTo("partial\n");
    }

    @Test
    void nonZeroExitWithOnlyStdoutReportsStdoutLikeNvidiaSmiErrors() throws Exception {
        Path s = script(dir, "nvidia-smi", "echo 'No devices were found'; exit 6");
        assertThatThrownBy(() -> runner.run(List.of(s.toString()), Duration.ofSeconds(10)))
                .isInstanceOf(ToolException.Failed.class)
                .hasMessageContaining("status 6").hasMessageContaining("No devices were found");
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        // the child sleeps forever in the background; the script waits on it
        Path s = script(dir, "hang.sh", "sleep 1000 & echo $! > " + pidFile + "; wait");
        long t0 = System.nanoTime();
        ToolException.TimedOut e = catchThrowableOfType(ToolException.TimedOut.class,
                () -> runner.run(List.of(s.toString()), Duration.ofMillis(700)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(e.getMessage()).matches("hang\\.sh did not finish within 700ms; killed pid \\d+ and 1 child.*");
        long childPid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> child = ProcessHandle.of(childPid);
        if (child.isPresent()) {
            child.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).as("child pid %d", childPid)
                .isNotEqualTo(Optional.of(true));
    }

    @Test
    void outputIsCappedButTheProcessIsDrainedToTheEnd() throws Exception {
        ProcessCommandRunner small = new ProcessCommandRunner(1000);
        // 200 KB: more than a pipe buffer, so a reader that stopped at the cap would block the process
        Path s = script(dir, "big.sh", "i=0; while [ $i -lt 4000 ]; do echo 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'; i=$((i+1)); done; echo done >&2");
        CommandResult r = small.run(List.of(s.toString()), Duration.ofSeconds(20));
        assertThat(r.stdout()).startsWith("xxxx").contains("[output truncated: 195000 more bytes dropped]");
        assertThat(r.stdout().length()).isLessThan(1100);
        assertThat(r.stderr()).isEqualTo("done\n");
    }

    @Test
    void outputFilesAreDeletedAfterSuccessFailureAndTimeout() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ProcessCommandRunner r = new ProcessCommandRunner(1000, tmp);
        assertThat(r.run(List.of(script(dir, "ok.sh", "echo ok; echo warn >&2").toString()), Duration.ofSeconds(10)))
                .satisfies(x -> assertThat(x.stdout()).isEqualTo("ok\n"))
                .satisfies(x -> assertThat(x.stderr()).isEqualTo("warn\n"));
        assertThatThrownBy(() -> r.run(List.of(script(dir, "bad.sh", "echo no >&2; exit 3").toString()), Duration.ofSeconds(10)))
                .isInstanceOf(ToolException.Failed.class).hasMessageContaining("stderr: no");
        assertThatThrownBy(() -> r.run(List.of(script(dir, "slow.sh", "echo late >&2; exec sleep 100").toString()),
                Duration.ofMillis(500)))
                .isInstanceOf(ToolException.TimedOut.class).hasMessageContaining("stderr: late");
        try (var left = Files.list(tmp)) {
            assertThat(left).as("output files left in %s", tmp).isEmpty();
        }
    }

    @Test
    void aDaemonisedGrandchildKeepingTheOutputOpenDoesNotHoldTheCaller() throws Exception {
        Path pidFile = dir.resolve("escaped.pid");
        // setsid + background: the grandchild leaves the process tree and keeps stdout and stderr open for 60 s
        Path s = script(dir, "escape.sh", "setsid sh -c 'echo $$ > " + pidFile + "; exec sleep 60' & sleep 0.3; echo parent done");
        long t0 = System.nanoTime();
        try {
            CommandResult result = runner.run(List.of(s.toString()), Duration.ofSeconds(30));
            assertThat(result.stdout()).isEqualTo("parent done\n");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("returned when the parent exited")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void missingBinaryIsNotFoundNamingThePathTried() {
        String missing = dir.resolve("no-such-tool").toString();
        assertThatThrownBy(() -> runner.run(List.of(missing), Duration.ofSeconds(5)))
                .isInstanceOf(ToolException.NotFound.class)
                .hasMessageContaining("no-such-tool is not installed")
                .hasMessageContaining("tried " + missing);
    }

    @Test
    void missingBinaryOnPathNamesPath() {
        assertThatThrownBy(() -> runner.run(List.of("dcmon-surely-not-installed-tool"), Duration.ofSeconds(5)))
                .isInstanceOf(ToolException.NotFound.class)
                .hasMessageContaining("tried PATH (");
    }

    @Test
    void nonExecutableFileIsNotFoundSayingSo() throws Exception {
        Path p = dir.resolve("plain");
        Files.writeString(p, "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> runner.run(List.of(p.toString()), Duration.ofSeconds(5)))
                .isInstanceOf(ToolException.NotFound.class)
                .hasMessageContaining("not executable");
    }

    @Test
    void rejectsEmptyCommandAndNonPositiveTimeout() {
        assertThatThrownBy(() -> runner.run(List.of(), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> runner.run(List.of("true"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }
}
