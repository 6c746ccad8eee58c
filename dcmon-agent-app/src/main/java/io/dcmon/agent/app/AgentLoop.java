package io.dcmon.agent.app;

import io.dcmon.agent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the agent's cycle on a fixed rate until the JVM is asked to stop. */
final class AgentLoop {

    private AgentLoop() {
    }

    static int run(Agent agent, Duration every, URI server) throws InterruptedException {
        Logger log = LoggerFactory.getLogger("dcmon.agent");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dcmon-agent-cycle");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger(0);
        // a fleet started together must not hit the server in the same second
        long jitterMs = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(every.toMillis(), 5_000)));
        timer.scheduleAtFixedRate(() -> {
            try {
                agent.cycle();
            } catch (Agent.NotRegisteredException e) {
                log.error("{}", e.getMessage());
                exit.set(1);
                done.countDown();
            } catch (Exception | Error e) {
                log.warn("cycle failed: {}", e.toString());
            }
        }, jitterMs, every.toMillis(), TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            timer.shutdown();
            done.countDown();
        }, "dcmon-agent-shutdown"));
        log.info("pushing to {} every {} s", server, every.toSeconds());
        done.await();
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        return exit.get();
    }
}
