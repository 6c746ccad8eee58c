package io.dcmon.hardware.exec;

import java.io.ByteArrayOutputStream;
import java.io.File;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link CommandRunner} that starts real processes.
 *
 * <p>Every process runs with {@code LC_ALL=C} (tools print numbers and messages the parsers expect), its
 * stdout and stderr are drained concurrently by two daemon threads (so a chatty stderr can never block the
 * process) and capped at {@link #maxOutputBytes()} each, the rest being read and dropped. When the timeout
 * passes, the process and every descendant it started are killed with {@code destroyForcibly}; the
 * descendants are listed <em>before</em> the parent dies, because orphans are re-parented and would no
 * longer show up as descendants afterwards.
 *
 * <p>Thread-safe: one instance can serve every tool. To keep one tool from piling up behind a slow call,
 * wrap it in a {@link ToolRunner}.
 */
public final class ProcessCommandRunner implements CommandRunner {

    /** Default cap on captured stdout and on captured stderr: 4 MiB each. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

    private static final ProcessCommandRunner DEFAULT = new ProcessCommandRunner(DEFAULT_MAX_OUTPUT_BYTES);
    /** How long to wait for the output readers after the process is gone (a stray grandchild may hold the pipe). */
    private static final long DRAIN_WAIT_MS = 2_000;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final int maxOutputBytes;

    /**
     * A runner capping each captured stream at {@code maxOutputBytes}.
     *
     * @throws IllegalArgumentException when the cap is not positive
     */
    public ProcessCommandRunner(int maxOutputBytes) {
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("maxOutputBytes was " + maxOutputBytes + " but it must be positive");
        }
        this.maxOutputBytes = maxOutputBytes;
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
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw notFound(command.get(0), e);
        }
        CappedReader out = new CappedReader(process.getInputStream(), maxOutputBytes, tool + "-stdout");
        CappedReader err = new CappedReader(process.getErrorStream(), maxOutputBytes, tool + "-stderr");
        out.start();
        err.start();
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
            out.await();
            err.await();
            String stderr = err.text();
            throw new ToolException.TimedOut(tool + " did not finish within " + format(timeout) + "; killed pid "
                    + process.pid() + childText(children)
                    + (stderr.isBlank() ? "" : ". stderr: " + abbreviate(stderr)));
        }
        out.await();
        err.await();
        CommandResult result = new CommandResult(process.exitValue(), out.text(), err.text(), elapsed(start));
        if (result.exitCode() != 0) {
            throw failure(command, result);
        }
        return result;
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
            process.waitFor(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS);
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

    /** Drains one stream on a daemon thread, keeping at most {@code cap} bytes. */
    private static final class CappedReader extends Thread {
        private final InputStream in;
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;

        CappedReader(InputStream in, int cap, String name) {
            super("dcmon-exec-" + name + "-" + THREAD_IDS.incrementAndGet());
            setDaemon(true);
            this.in = in;
            this.cap = cap;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        int room = cap - kept.size();
                        int keep = Math.min(room, n);
                        if (keep > 0) {
                            kept.write(buf, 0, keep);
                        }
                        dropped += n - keep;
                    }
                }
            } catch (IOException e) {
                // The stream closes under us when the process is killed; what was read so far is kept.
            }
        }

        void await() {
            try {
                join(DRAIN_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (isAlive()) {
                // A process that escaped the tree (daemonised) still holds the pipe: stop waiting for it.
                try {
                    in.close();
                } catch (IOException e) {
                    // nothing more to read either way
                }
            }
        }

        synchronized String text() {
            String s = kept.toString(StandardCharsets.UTF_8);
            return dropped == 0 ? s : s + String.format(Locale.ROOT, "%n[output truncated: %d more bytes dropped]%n", dropped);
        }
    }
}
