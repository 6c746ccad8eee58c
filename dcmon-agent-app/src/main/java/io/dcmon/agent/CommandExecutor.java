package io.dcmon.agent;

import io.dcmon.hardware.fan.DutyResult;
import io.dcmon.hardware.fan.FanControlException;
import io.dcmon.hardware.fan.FanMode;
import io.dcmon.hardware.fan.FanZone;
import io.dcmon.hardware.fan.SupermicroFans;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Receives commands by long-polling the server and runs those this agent's own configuration allows, reporting
 * each result. A command id is claimed on disk before it runs, so a command never runs twice, even across
 * restarts. A fan duty set with a duration is undone when the time is up, when the agent stops, or when the
 * server has been unreachable for {@link Policy#restoreAfterServerLost()}: fans never stay pinned unattended.
 */
public final class CommandExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);
    /** Exit status reported for a command offered again after it already ran here. */
    public static final int ALREADY_RUN = 125;
    /** How long one poll may be held by the server. */
    static final Duration POLL_WAIT = Duration.ofSeconds(55);

    /**
     * What this agent accepts.
     *
     * @param allowedTypes           command types it runs (others are reported as refused)
     * @param restoreAfterServerLost restore fan overrides after the server has been unreachable this long
     * @param rebootCommand          argv that reboots the machine (e.g. systemctl reboot)
     */
    public record Policy(Set<String> allowedTypes, Duration restoreAfterServerLost, List<String> rebootCommand) {
        public Policy {
            allowedTypes = Set.copyOf(allowedTypes);
            Objects.requireNonNull(restoreAfterServerLost, "restoreAfterServerLost");
            rebootCommand = List.copyOf(rebootCommand);
        }

        /** fan_control and config_update; reboot only when enabled in the configuration. */
        public static Policy defaults() {
            return new Policy(Set.of("fan_control", "config_update"), Duration.ofMinutes(10), List.of("systemctl", "reboot"));
        }
    }

    /** Supplies fan control; fails with a clear reason when this machine has none. */
    @FunctionalInterface
    public interface FanAccess {
        /** The fan controller. */
        SupermicroFans get() throws FanControlException;
    }

    /** Runs an external command for reboot; tests substitute a recorder. */
    @FunctionalInterface
    public interface Launcher {
        /** Starts {@code argv}. */
        void launch(List<String> argv) throws IOException;
    }

    /** A fan override to undo. */
    private record FanOverride(FanMode restoreTo, Instant until) {
    }

    private final AgentTransport client;
    private final String token;
    private final long clientId;
    private final Policy policy;
    private final FanAccess fans;
    private final ExecutedCommands executed;
    private final Clock clock;
    private final Consumer<Map<String, String>> onConfigUpdate;
    private final Launcher launcher;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean running;
    private volatile Instant lastContact;
    private FanOverride override;
    private java.util.concurrent.ScheduledFuture<?> overrideCheck;
    private Thread poller;

    /** An executor talking through the transport module's client (embedding, tests); see the main constructor. */
    public CommandExecutor(DcmonClient client, String token, long clientId, Policy policy, FanAccess fans,
                           ExecutedCommands executed, Clock clock, Consumer<Map<String, String>> onConfigUpdate, Launcher launcher) {
        this(AgentTransport.of(client), token, clientId, policy, fans, executed, clock, onConfigUpdate, launcher);
    }

    /**
     * An executor; {@link #start()} starts it.
     *
     * @param client         the server
     * @param token          this agent's client token
     * @param clientId       this agent's id
     * @param policy         which command types run
     * @param fans           fan control, when this machine has it
     * @param executed       ids of commands already run (on disk)
     * @param clock          time of fan-override deadlines
     * @param onConfigUpdate applies a config_update's parameters
     * @param launcher       starts the reboot command
     */
    public CommandExecutor(AgentTransport client, String token, long clientId, Policy policy, FanAccess fans,
                           ExecutedCommands executed, Clock clock, Consumer<Map<String, String>> onConfigUpdate, Launcher launcher) {
        this.client = Objects.requireNonNull(client, "client");
        this.token = Objects.requireNonNull(token, "token");
        this.clientId = clientId;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.fans = Objects.requireNonNull(fans, "fans");
        this.executed = Objects.requireNonNull(executed, "executed");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onConfigUpdate = Objects.requireNonNull(onConfigUpdate, "onConfigUpdate");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.lastContact = clock.instant();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dcmon-agent-fan-restore");
            t.setDaemon(true);
            return t;
        });
        // a reboot still waiting for its delay does not happen once the agent stops
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts polling on a thread of its own; a timed fan override is checked once a second while one is in force. */
    public void start() {
        running = true;
        poller = new Thread(this::pollLoop, "dcmon-agent-commands");
        poller.setDaemon(true);
        poller.start();
    }

    /** Checks the override once a second from now until it is gone (a wake-up a second costs CPU when idle). */
    private synchronized void checkWhileOverridden() {
        if (overrideCheck == null || overrideCheck.isDone()) {
            overrideCheck = timer.scheduleWithFixedDelay(this::checkOverride, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void pollLoop() {
        long backoffMs = 1000;
        boolean down = false;
        while (running) {
            try {
                List<CommandView> commands = client.pollCommands(token, clientId, POLL_WAIT);
                lastContact = clock.instant();
                if (down) {
                    log.info("commands: the server answers again");
                    down = false;
                }
                backoffMs = 1000;
                for (CommandView c : commands) {
                    handle(c);
                }
            } catch (DcmonClientException e) {
                if (!running) {
                    return;
                }
                if (!down) {
                    log.warn("commands: cannot poll the server ({}); retrying", e.getMessage());
                    down = true;
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, e.isAuthFailure() ? 300_000 : 30_000);
            } catch (RuntimeException e) {
                log.warn("commands: poll failed: {}", e.toString());
                sleep(backoffMs);
            }
        }
    }

    /** Runs one delivered command (unless it ran before) and reports its result. */
    void handle(CommandView c) {
        try {
            if (!executed.claim(c.id())) {
                // the server offers a command again when no result reached it (lost answer, or a restart before
                // reporting); it ran here already, so it is not run twice, and the server learns why
                log.info("command {} ({}) was already run; not running it again", c.id(), c.type());
                report(c, new CommandResult(c.id(), ALREADY_RUN, "", "this agent started command " + c.id()
                        + " before and does not run a command twice; its result did not reach the server"));
                return;
            }
        } catch (IOException e) {
            log.warn("command {}: could not record it as started ({}); not running it", c.id(), e.getMessage());
            return;
        }
        CommandResult result = execute(c);
        log.info("command {} {} {}: exit {} {}", c.id(), c.type(), c.params(), result.exitStatus(),
                result.error().isEmpty() ? "" : "(" + result.error() + ")");
        report(c, result);
    }

    /** Reports a result, retrying a few times while the server is unreachable. */
    private void report(CommandView c, CommandResult result) {
        for (int attempt = 1; attempt <= 5 && running; attempt++) {
            try {
                client.reportResult(token, result);
                return;
            } catch (DcmonClientException e) {
                if (!e.retryable()) {
                    log.warn("command {}: the server refused the result: {}", c.id(), e.getMessage());
                    return;
                }
                sleep(1000L * attempt);
            }
        }
    }

    /** Runs a command and describes the outcome; never throws. */
    CommandResult execute(CommandView c) {
        if (!policy.allowedTypes().contains(c.type())) {
            return new CommandResult(c.id(), 126, "", "refused: this agent does not run '" + c.type()
                    + "' commands (allowed: " + policy.allowedTypes().stream().sorted().toList() + ")");
        }
        try {
            return switch (c.type()) {
                case "fan_control" -> new CommandResult(c.id(), 0, fanControl(c.params()), "");
                case "reboot" -> new CommandResult(c.id(), 0, reboot(c.params()), "");
                case "config_update" -> {
                    onConfigUpdate.accept(c.params());
                    yield new CommandResult(c.id(), 0, "configuration updated: " + c.params(), "");
                }
                default -> new CommandResult(c.id(), 127, "", "unknown command type '" + c.type() + "'");
            };
        } catch (FanControlException | IllegalArgumentException | IOException e) {
            return new CommandResult(c.id(), 1, "", e.getMessage());
        }
    }

    private String fanControl(Map<String, String> p) throws FanControlException {
        SupermicroFans f = fans.get();
        String action = p.getOrDefault("action", "");
        switch (action) {
            case "status":
                return f.status().describe();
            case "set_mode": {
                FanMode mode = FanMode.parse(p.get("mode"));
                FanMode now = f.setMode(mode);
                synchronized (this) {
                    override = null; // an explicit mode replaces any timed duty override
                }
                return "fan mode is now " + now.cliName();
            }
            case "set_duty": {
                DutyResult r = f.setZoneDuty(FanZone.parse(p.get("zone")), Integer.parseInt(p.get("percent")));
                String d = p.get("duration_seconds");
                if (d != null) {
                    FanMode restore = FanMode.fromCode(r.previousModeCode()).filter(m -> m != FanMode.FULL).orElse(FanMode.STANDARD);
                    synchronized (this) {
                        FanOverride previous = override;
                        override = new FanOverride(previous != null ? previous.restoreTo() : restore,
                                clock.instant().plusSeconds(Long.parseLong(d)));
                        checkWhileOverridden();
                    }
                    return r.describe() + "; mode " + restore.cliName() + " is restored in " + d + " s";
                }
                return r.describe();
            }
            default:
                throw new IllegalArgumentException("fan_control action '" + action + "' is not known to this agent");
        }
    }

    private String reboot(Map<String, String> p) throws IOException {
        long delay = Long.parseLong(p.getOrDefault("delay_seconds", "0"));
        timer.schedule(() -> {
            try {
                restoreFans("reboot");
                launcher.launch(policy.rebootCommand());
            } catch (IOException e) {
                log.error("reboot: {} failed: {}", policy.rebootCommand(), e.getMessage());
            }
        }, delay, TimeUnit.SECONDS);
        return "reboot in " + delay + " s with " + String.join(" ", policy.rebootCommand());
    }

    private void checkOverride() {
        FanOverride o;
        synchronized (this) {
            o = override;
            if (o == null) {
                overrideCheck.cancel(false);
                return;
            }
        }
        Instant now = clock.instant();
        if (!now.isBefore(o.until())) {
            restoreFans("the override's duration ended");
        } else if (Duration.between(lastContact, now).compareTo(policy.restoreAfterServerLost()) > 0) {
            restoreFans("the server has been unreachable since " + lastContact);
        }
    }

    /** Puts the BMC back in the mode it had before a timed duty override, if one is active. */
    void restoreFans(String why) {
        FanOverride o;
        synchronized (this) {
            o = override;
            override = null;
        }
        if (o == null) {
            return;
        }
        try {
            FanMode m = fans.get().setMode(o.restoreTo());
            log.info("fans: restored mode {} because {}", m.cliName(), why);
        } catch (FanControlException | RuntimeException e) {
            log.error("fans: could not restore mode {} ({}): {}", o.restoreTo().cliName(), why, e.getMessage());
        }
    }

    /** True while a timed fan override is in force. */
    public synchronized boolean overrideActive() {
        return override != null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling, lets a restore already under way finish, and undoes any fan override still in force. */
    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        timer.shutdown();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        restoreFans("the agent is stopping");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CommandExecutor[client=%d, allowed=%s]", clientId, policy.allowedTypes());
    }
}
