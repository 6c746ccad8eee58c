package io.dcmon.hardware.ipmi;

import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.ToolException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How to reach ipmitool, configured once: the binary, the local BMC ({@code /dev/ipmi0}, the default) or a
 * BMC over the network ({@code -I lanplus -H host [-p port] [-U user] -P pass | -f file [-C suite] [-N s]
 * [-R n]}), and the timeout of each call. Every user of the same BMC (the ipmi collector, fan control)
 * shares one instance: calls are serialised, so a slow BMC sees one request at a time and a caller that
 * cannot get its turn within the timeout fails with {@link ToolException.Busy} instead of piling up.
 *
 * <p>The password never appears in {@link #toString()}, {@link #describe(List)} or any exception message
 * (it is replaced by {@code <masked>}). It is still visible to local users in the process list while
 * ipmitool runs, as with any {@code -P}: prefer {@link Builder#passwordFile(Path)} ({@code -f}).
 * Thread-safe.
 *
 * <pre>{@code
 * Ipmitool local = Ipmitool.local();
 * Ipmitool bmc = Ipmitool.lan("10.0.0.5").user("ADMIN").passwordFile(Path.of("/etc/dcmon/bmc.pw")).build();
 * }</pre>
 */
public final class Ipmitool {

    /** Timeout of one call unless configured: {@code ipmitool sensor} can take seconds on real BMCs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** Shown instead of the password. */
    public static final String MASK = "<masked>";

    private final String binary;
    private final Duration timeout;
    private final List<String> connectionArgs;
    private final String password;
    private final String host;
    private final CommandRunner runner;
    private final ReentrantLock turn = new ReentrantLock(true);

    private Ipmitool(Builder b) {
        this.binary = b.binary;
        this.timeout = b.timeout;
        this.password = b.password;
        this.host = b.host;
        this.runner = b.runner;
        List<String> args = new ArrayList<>();
        if (b.host != null) {
            args.addAll(List.of("-I", "lanplus", "-H", b.host));
            if (b.port != null) {
                args.addAll(List.of("-p", Integer.toString(b.port)));
            }
            if (b.user != null) {
                args.addAll(List.of("-U", b.user));
            }
            if (b.password != null) {
                args.addAll(List.of("-P", b.password));
            } else if (b.passwordFile != null) {
                args.addAll(List.of("-f", b.passwordFile.toString()));
            }
            if (b.cipherSuite != null) {
                args.addAll(List.of("-C", Integer.toString(b.cipherSuite)));
            }
        }
        if (b.lanTimeoutSeconds != null) {
            args.addAll(List.of("-N", Integer.toString(b.lanTimeoutSeconds)));
        }
        if (b.retries != null) {
            args.addAll(List.of("-R", Integer.toString(b.retries)));
        }
        this.connectionArgs = List.copyOf(args);
    }

    /** ipmitool on {@code PATH}, talking to this machine's BMC through {@code /dev/ipmi0}, with the default timeout. */
    public static Ipmitool local() {
        return builder().build();
    }

    /** A builder preset for a BMC over the network ({@code -I lanplus -H host}). */
    public static Builder lan(String host) {
        return builder().host(host);
    }

    /** A builder for the local BMC; call {@link Builder#host(String)} for LAN. */
    public static Builder builder() {
        return new Builder();
    }

    /** The full argv for one call: binary, connection arguments (with the password), then {@code args}. */
    public List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>(1 + connectionArgs.size() + args.size());
        argv.add(binary);
        argv.addAll(connectionArgs);
        argv.addAll(args);
        return argv;
    }

    /** The command line for messages and logs, password masked: {@code ipmitool -I lanplus -H bmc -U ADMIN -P <masked> sensor}. */
    public String describe(List<String> args) {
        List<String> argv = command(args);
        List<String> shown = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            boolean secret = password != null && i > 0 && argv.get(i - 1).equals("-P") && i - 1 <= connectionArgs.size();
            shown.add(secret ? MASK : argv.get(i));
        }
        return String.join(" ", shown);
    }

    /** Runs {@code ipmitool <connection> args...}; see {@link #run(List)}. */
    public CommandResult run(String... args) throws ToolException {
        return run(List.of(args));
    }

    /**
     * Runs one ipmitool command after the previous one on this instance has finished, bounded by the timeout.
     * Exception messages name the command with the password masked.
     *
     * @throws ToolException.Busy     when the previous call did not finish within the timeout
     * @throws ToolException.NotFound when the binary is missing
     * @throws ToolException.Failed   when ipmitool exits non-zero (its stderr is in the message and the result)
     * @throws ToolException.TimedOut when it was killed at the timeout
     */
    public CommandResult run(List<String> args) throws ToolException {
        Objects.requireNonNull(args, "args");
        boolean mine;
        try {
            mine = turn.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException.Busy(describe(args) + " was interrupted while waiting for the previous ipmitool call");
        }
        if (!mine) {
            throw new ToolException.Busy(describe(args) + " waited " + ProcessCommandRunner.format(timeout)
                    + " for the previous ipmitool call to this BMC and gave up; if this repeats the BMC hangs: check it or raise the timeout");
        }
        try {
            return runner.run(command(args), timeout);
        } catch (ToolException.Failed e) {
            CommandResult r = e.result();
            String said = r == null ? mask(e.getMessage())
                    : !r.stderr().isBlank() ? "stderr: " + oneLine(r.stderr()) : "stdout: " + oneLine(r.stdout());
            ToolException.Failed masked = new ToolException.Failed(describe(args) + " exited with status "
                    + (r == null ? "?" : Integer.toString(r.exitCode())) + "; " + said, r);
            masked.setStackTrace(e.getStackTrace());
            throw masked;
        } catch (ToolException.NotFound e) {
            throw new ToolException.NotFound(mask(e.getMessage()));
        } catch (ToolException.TimedOut e) {
            throw new ToolException.TimedOut(mask(e.getMessage()) + " (" + describe(args) + ")");
        } catch (ToolException.Busy e) {
            throw new ToolException.Busy(mask(e.getMessage()));
        } finally {
            turn.unlock();
        }
    }

    /** The binary, a name on {@code PATH} or a path. */
    public String binary() {
        return binary;
    }

    /** The timeout of one call. */
    public Duration timeout() {
        return timeout;
    }

    /** The BMC host for LAN access; empty for the local BMC. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** True when talking to a BMC over the network. */
    public boolean isLan() {
        return host != null;
    }

    /** What this instance reaches, for logs: {@code local BMC (/dev/ipmi0)} or {@code BMC 10.0.0.5 over lanplus}. */
    public String target() {
        return host == null ? "local BMC (/dev/ipmi0)" : "BMC " + host + " over lanplus";
    }

    @Override
    public String toString() {
        return "Ipmitool[" + describe(List.of()) + ", timeout " + ProcessCommandRunner.format(timeout) + "]";
    }

    private String mask(String text) {
        if (text == null) {
            return "";
        }
        return password == null || password.isEmpty() ? text : text.replace(password, MASK);
    }

    private String oneLine(String text) {
        String t = mask(text).strip().replace('\n', ' ').replace('\r', ' ');
        return t.length() <= 400 ? t : t.substring(0, 400) + "…";
    }

    /** Settings of an {@link Ipmitool}; validated in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private String binary = "ipmitool";
        private Duration timeout = DEFAULT_TIMEOUT;
        private String host;
        private Integer port;
        private String user;
        private String password;
        private Path passwordFile;
        private Integer cipherSuite;
        private Integer lanTimeoutSeconds;
        private Integer retries;
        private CommandRunner runner = ProcessCommandRunner.local();

        private Builder() {
        }

        /** The executable: a name on {@code PATH} (default {@code ipmitool}) or an absolute path. */
        public Builder binary(String binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** Timeout of one call (default 20 s); the process tree is killed when it passes. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** BMC host name or address: switches to {@code -I lanplus -H host}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** UDP port of the BMC ({@code -p}; ipmitool's default is 623). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** BMC user ({@code -U}). */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** BMC password ({@code -P}); masked in every message. Prefer {@link #passwordFile(Path)}. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** File holding the BMC password ({@code -f}); keeps the password out of the process list. */
        public Builder passwordFile(Path passwordFile) {
            this.passwordFile = Objects.requireNonNull(passwordFile, "passwordFile");
            return this;
        }

        /** RMCP+ cipher suite ({@code -C}, 0–17); 3 skips ipmitool's cipher-suite discovery. */
        public Builder cipherSuite(int cipherSuite) {
            this.cipherSuite = cipherSuite;
            return this;
        }

        /** Seconds ipmitool waits for each LAN reply ({@code -N}). */
        public Builder lanTimeoutSeconds(int seconds) {
            this.lanTimeoutSeconds = seconds;
            return this;
        }

        /** How often ipmitool retries a LAN request ({@code -R}). */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** The runner that starts ipmitool (default: real processes); tests pass a replaying one. */
        public Builder runner(CommandRunner runner) {
            this.runner = Objects.requireNonNull(runner, "runner");
            return this;
        }

        /**
         * Checks the settings and builds.
         *
         * @throws IllegalArgumentException naming the setting, its value and the rule
         */
        public Ipmitool build() {
            if (binary.isBlank()) {
                throw new IllegalArgumentException("binary was blank; give ipmitool's name on PATH or an absolute path");
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("timeout was '" + timeout + "' but it must be positive and at most PT10M");
            }
            if (host == null && (port != null || user != null || password != null || passwordFile != null || cipherSuite != null)) {
                throw new IllegalArgumentException("port, user, password, password file and cipher suite apply to a BMC over LAN only; set host too");
            }
            if (host != null && (host.isBlank() || host.startsWith("-") || host.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("host was '" + host + "' but it must be a host name or address");
            }
            if (port != null && (port < 1 || port > 65535)) {
                throw new IllegalArgumentException("port was " + port + " but it must be from 1 to 65535");
            }
            if (password != null && passwordFile != null) {
                throw new IllegalArgumentException("both password and password file are set; give one of them");
            }
            if (cipherSuite != null && (cipherSuite < 0 || cipherSuite > 17)) {
                throw new IllegalArgumentException("cipher suite was " + cipherSuite + " but it must be from 0 to 17");
            }
            if (lanTimeoutSeconds != null && (lanTimeoutSeconds < 1 || lanTimeoutSeconds > 60)) {
                throw new IllegalArgumentException("LAN timeout (-N) was " + lanTimeoutSeconds + " s but it must be from 1 to 60");
            }
            if (retries != null && (retries < 0 || retries > 10)) {
                throw new IllegalArgumentException("retries (-R) was " + retries + " but it must be from 0 to 10");
            }
            return new Ipmitool(this);
        }
    }
}
