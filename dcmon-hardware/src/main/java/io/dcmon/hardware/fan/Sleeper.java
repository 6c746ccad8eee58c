package io.dcmon.hardware.fan;

import java.time.Duration;

/** Waits for the BMC; tests substitute one that advances a fake clock instead of sleeping. */
@FunctionalInterface
interface Sleeper {

    /** The real one. */
    Sleeper THREAD = d -> {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis());
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
