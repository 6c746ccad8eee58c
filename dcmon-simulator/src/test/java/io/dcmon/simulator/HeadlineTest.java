package io.dcmon.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The headline search over a server whose capacity is known: it must find it within 10 % and confirm it. */
class HeadlineTest {

    private final List<String> steps = new ArrayList<>();

    private Headline.Prober capacity(int limit, int confirmLimit) {
        return (phase, level, d) -> {
            steps.add(phase + " " + level);
            return level <= (phase.equals("confirm") ? confirmLimit : limit);
        };
    }

    @Test
    void rampsUpBisectsAndConfirmsTheLargestPassingLevel() throws Exception {
        int held = Headline.search(1000, 12_000, Duration.ofSeconds(60), Duration.ofMinutes(5), d -> true, capacity(2600, 2600));
        assertThat(steps).startsWith("probe 1000", "probe 1500", "probe 2250", "probe 3400");
        assertThat(held).isBetween((int) (2600 / 1.1), 2600);
        assertThat(steps.get(steps.size() - 1)).isEqualTo("confirm " + held);
    }

    @Test
    void aFailedConfirmationStepsDownAndAFailingStartHalves() throws Exception {
        int held = Headline.search(1000, 12_000, Duration.ofSeconds(60), Duration.ofMinutes(5), d -> true, capacity(600, 450));
        assertThat(steps).startsWith("probe 1000", "probe 500");
        assertThat(held).isLessThanOrEqualTo(450).isPositive();
        assertThat(steps).filteredOn(s -> s.startsWith("confirm")).hasSizeGreaterThan(1);
    }

    @Test
    void nothingStartsOutsideTheBudgetAndTheCapStops() throws Exception {
        assertThat(Headline.search(1000, 12_000, Duration.ofSeconds(60), Duration.ofMinutes(5), d -> false, capacity(5000, 5000))).isZero();
        assertThat(steps).isEmpty();
        int held = Headline.search(1000, 1500, Duration.ofSeconds(60), Duration.ofMinutes(5), d -> true, capacity(99_999, 99_999));
        assertThat(held).isEqualTo(1500);
        assertThat(steps).containsExactly("probe 1000", "probe 1500", "confirm 1500");
    }
}
