package io.dcmon.agent.app;

import io.dcmon.agent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Runs the agent's cycle every {@link #interval()} until the JVM is asked to stop; the interval can change live. */
final class AgentLoop {

    private static final Logger log = LoggerFactory.getLogger("dcmon.agent");

    private final Agent agent;
    private final URI server;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Duration interval;
    private volatile int exit;

    AgentLoop(Agent agent, Duration interval, URI server) {
        this.agent = agent;
        this.interval = interval;
        this.server = server;
    }

    Duration interval() {
        return interval;
    }

    /** Changes the push interval from the next cycle on (config_update command). */
    void interval(Duration every) {
        if (!every.equals(interval)) {
            log.info("push interval changed from {} s to {} s", interval.toSeconds(), every.toSeconds());
            interval = every;
        }
    }

    /** Runs until stopped; returns the exit status. */
    int run() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "dcmon-agent-shutdown"));
        log.info("pushing to {} every {} s", server, interval.toSeconds());
        // a fleet started together must not hit the server in the same second
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(interval.toMillis(), 5_000))));
        while (!stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            try {
                agent.cycle();
            } catch (Agent.NotRegisteredException e) {
                log.error("{}", e.getMessage());
                exit = 1;
                break;
            } catch (Exception | Error e) {
                log.warn("cycle failed: {}", e.toString());
            }
            next += interval.toNanos();
            long now = System.nanoTime();
            if (next < now) {
                next = now; // a cycle that overran (or a suspended machine) does not cause a burst of catch-up cycles
            }
        }
        return exit;
    }
}
