package io.dcmon.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A process started the way systemd would start a unit's ExecStart, stopped with SIGTERM like systemd does. */
final class Service implements AutoCloseable {

    private final Process process;
    private final Path output;

    private Service(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static Service start(List<String> command, Path workingDir, Path output) throws IOException {
        Process p = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new Service(p, output);
    }

    /** Everything the process printed so far (the "journal"). */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code ready} holds; fails with the output if the process dies or time runs out. */
    void awaitReady(BooleanSupplier ready, Duration timeout, String what) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(what + ": the process exited with " + process.exitValue() + "; output:\n" + output());
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s; output:\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, then the exit status (143 = terminated by the signal, as SuccessExitStatus=143 expects). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError("did not stop within 30 s after SIGTERM; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
