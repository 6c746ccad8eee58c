package io.dcmon.simulator;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    private final Main.DurationConverter durations = new Main.DurationConverter();

    @Test
    void durationsReadTheShortFormsAndIso() {
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(durations.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(durations.convert("12")).isEqualTo(Duration.ofSeconds(12));
        assertThat(durations.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> durations.convert("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void defaultsAreAHundredAgentsEveryThirtySecondsForAMinute() {
        Main m = new Main();
        new CommandLine(m).parseArgs();
        SimulationConfig c = m.config();
        assertThat(c.agents()).isEqualTo(100);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.pollers()).isEqualTo(10);
        assertThat(c.compression()).isEqualTo(1.0);
    }

    @Test
    void compressionAndBoundsAreChecked() {
        Main m = new Main();
        new CommandLine(m).parseArgs("--agents", "3", "--interval", "3s", "--duration", "10s");
        SimulationConfig c = m.config();
        assertThat(c.compression()).isEqualTo(10.0);
        assertThat(c.pollers()).isEqualTo(3);
        assertThat(c.warmup()).isEqualTo(Duration.ofSeconds(5));

        Main bad = new Main();
        new CommandLine(bad).parseArgs("--agents", "0");
        assertThatThrownBy(bad::config).hasMessageContaining("agents was 0");
    }

    @Test
    void aRemoteServerMustBeOnThisMachine() {
        assertThatThrownBy(() -> new RemoteServer(URI.create("http://10.0.0.5:8080/"), "t"))
                .hasMessageContaining("only talks to 127.0.0.1");
        assertThat(new RemoteServer(URI.create("http://127.0.0.1:8080/"), "t").kind()).isEqualTo("remote");
    }

    @Test
    void procFsReadsThisProcess() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcFs.rss(pid).getAsLong()).isGreaterThan(1 << 20);
        assertThat(ProcFs.peakRss(pid).getAsLong()).isGreaterThanOrEqualTo(ProcFs.rss(pid).getAsLong() / 2);
        assertThat(ProcFs.cpuNanos(pid).getAsLong()).isPositive();
        assertThat(ProcFs.rss(Long.MAX_VALUE)).isEmpty();
    }
}
