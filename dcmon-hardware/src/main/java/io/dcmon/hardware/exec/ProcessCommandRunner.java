package io.dcmon.hardware.exec;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CommandRunner} that starts real processes.
 *
 * <p>Every process runs with {@code LC_ALL=C} (tools print numbers and messages the parsers expect). Its stdout
 * and stderr go to two private temporary files, read back once it has exited and capped at
 * {@link #maxOutputBytes()} each (the rest is counted and dropped). Files rather than pipes because a pipe needs
 * a reader thread per stream for the whole run (two thread starts per tool call, a large share of the agent's CPU
 * on a 30 s cycle), while a file never blocks the writer and is read on the calling thread: a chatty stderr cannot
 * stall the process, and a daemonised grandchild that keeps the output open cannot stall the caller. How much a
 * tool can write is bounded by its timeout; the files are deleted before {@code run} returns or throws. When the
 * timeout passes, the process and every descendant it started are killed with {@code destroyForcibly}; the
 * descendants are listed <em>before</em> the parent dies, because orphans are re-parented and would no longer show
 * up as descendants afterwards.
 *
 * <p>Thread-safe: one instance can serve every tool. To keep one tool from piling up behind a slow call,
 * wrap it in a {@link ToolRunner}.
 */
public final class ProcessCommandRunner implements CommandRunner {

    /** Default cap on captured stdout and on captured stderr: 4 MiB each. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

    private static final ProcessCommandRunner DEFAULT = new ProcessCommandRunner(DEFAULT_MAX_OUTPUT_BYTES);
    /** How long to wait for a killed process to be reaped. */
    private static final long KILL_WAIT_MS = 2_000;

    private final int maxOutputBytes;
    /** Where the output files go; null: the JVM's {@code java.io.tmpdir} (a private /tmp under the agent's unit). */
    private final Path tempDir;

    /**
     * A runner capping each captured stream at {@code maxOutputBytes}, with its output files in
     * {@code java.io.tmpdir}.
     *
     * @throws IllegalArgumentException when the cap is not positive
     */
    public ProcessCommandRunner(int maxOutputBytes) {
        this(maxOutputBytes, null);
    }

    /** A runner as above whose output files go to {@code tempDir} (null: {@code java.io.tmpdir}). */
    ProcessCommandRunner(int maxOutputBytes, Path tempDir) {
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("maxOutputBytes was " + maxOutputBytes + " but it must be positive");
        }
        this.maxOutputBytes = maxOutputBytes;
        this.tempDir = tempDir;
    }

    /** The shared runner with the default 4 MiB cap. */
    public static ProcessCommandRunner local() {
        return DEFAULT;
    }

    /** The cap applied to stdout and to stderr separately, in bytes. */
    public int maxOutputBytes() {
        return maxOutputBytes;
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) throws ToolException {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty; give at least the binary");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout was '" + timeout + "' but it must be positive");
        }
        String tool = toolName(command.get(0));
        Path outFile = null;
        Path errFile = null;
        try {
            try {
                outFile = createTemp(".out");
                errFile = createTemp(".err");
            } catch (IOException e) {
                throw new ToolException.Failed("cannot create a temporary file for the output of " + tool + " in "
                        + (tempDir != null ? tempDir : System.getProperty("java.io.tmpdir")) + ": " + e
                        + "; make that directory writable or set java.io.tmpdir",
                        new CommandResult(-1, "", "", Duration.ZERO));
            }
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("LC_ALL", "C");
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(outFile.toFile());
            pb.redirectError(errFile.toFile());
            long start = System.nanoTime();
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw notFound(command.get(0), e);
            }
            boolean finished;
            try {
                finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                int children = killTree(process);
                Thread.currentThread().interrupt();
                throw new ToolException.TimedOut(tool + " was interrupted after " + format(elapsed(start))
                        + "; killed pid " + process.pid() + childText(children));
            }
            if (!finished) {
                int children = killTree(process);
                String stderr = read(errFile);
                throw new ToolException.TimedOut(tool + " did not finish within " + format(timeout) + "; killed pid "
                        + process.pid() + childText(children)
                        + (stderr.isBlank() ? "" : ". stderr: " + abbreviate(stderr)));
            }
            CommandResult result = new CommandResult(process.exitValue(), read(outFile), read(errFile), elapsed(start));
            if (result.exitCode() != 0) {
                throw failure(command, result);
            }
            return result;
        } finally {
            deleteQuietly(outFile);
            deleteQuietly(errFile);
        }
    }

    private Path createTemp(String suffix) throws IOException {
        // owner-only permissions: tool output can hold serial numbers and host details
        return tempDir != null ? Files.createTempFile(tempDir, "dcmon-exec-", suffix)
                : Files.createTempFile("dcmon-exec-", suffix);
    }

    /** The first {@link #maxOutputBytes} of {@code file} as text, with a note of how many bytes were dropped. */
    private String read(Path file) {
        try (InputStream in = new FileInputStream(file.toFile())) {
            long size = Files.size(file);
            byte[] kept = in.readNBytes((int) Math.min(size, maxOutputBytes));
            // a process that escaped the kill may still be writing: what is past the size read above is not counted
            long dropped = size - kept.length;
            String s = new String(kept, StandardCharsets.UTF_8);
            return dropped <= 0 ? s
                    : s + String.format(Locale.ROOT, "%n[output truncated: %d more bytes dropped]%n", dropped);
        } catch (IOException e) {
            return "[output unreadable: " + e + "]";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a private temporary file; the next boot's /tmp cleanup takes it if this fails
            }
        }
    }

    /**
     * The {@link ToolException.Failed} for a non-zero exit, in the one wording every runner uses:
     * {@code "<command> exited with status N; stderr: …"} (stdout when stderr is empty: nvidia-smi prints its
     * errors there).
     */
    public static ToolException.Failed failure(List<String> command, CommandResult result) {
        String said = !result.stderr().isBlank() ? "stderr: " + abbreviate(result.stderr())
                : !result.stdout().isBlank() ? "stdout: " + abbreviate(result.stdout()) : "no output";
        return new ToolException.Failed(String.join(" ", command.subList(0, Math.min(command.size(), 8)))
                + " exited with status " + result.exitCode() + "; " + said, result);
    }

    /** Kills the descendants (listed first, while they are still ours) and then the process; returns how many children died. */
    private static int killTree(Process process) {
        List<ProcessHandle> descendants = new ArrayList<>();
        process.descendants().forEach(descendants::add);
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
        }
        process.destroyForcibly();
        try {
            process.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return descendants.size();
    }

    private static ToolException.NotFound notFound(String binary, IOException e) {
        String tried = binary.indexOf('/') >= 0 ? binary : "PATH (" + System.getenv().getOrDefault("PATH", "") + ")";
        String why = e.getMessage() == null ? "" : e.getMessage();
        Optional<Path> found = locate(binary);
        String detail;
        if (found.isPresent() && !Files.isExecutable(found.get())) {
            detail = found.get() + " exists but is not executable; fix its permissions";
        } else if (why.contains("error=13")) {
            detail = "permission denied for " + tried + "; run with access to it or set another path";
        } else {
            detail = "tried " + tried + "; install it or set its path in the configuration";
        }
        return new ToolException.NotFound(toolName(binary) + " is not installed: " + detail);
    }

    /**
     * Where {@code binary} would be found: the path itself when it contains a slash, else the first
     * matching file on {@code PATH}. Present means the file exists; it may still lack the execute bit.
     */
    public static Optional<Path> locate(String binary) {
        Objects.requireNonNull(binary, "binary");
        if (binary.indexOf('/') >= 0) {
            Path p = Path.of(binary);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String toolName(String binary) {
        int slash = binary.lastIndexOf('/');
        return slash >= 0 ? binary.substring(slash + 1) : binary;
    }

    /** {@code 5s}, {@code 1500ms}: the way operators write timeouts. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String childText(int children) {
        return switch (children) {
            case 0 -> "";
            case 1 -> " and 1 child";
            default -> " and " + children + " children";
        };
    }

    /** First 400 characters of a tool's output, trimmed, on one line. */
    static String abbreviate(String text) {
        String t = text.strip().replace('\n', ' ').replace('\r', ' ');
        return t.length() <= 400 ? t : t.substring(0, 400) + "…";
    }
}
