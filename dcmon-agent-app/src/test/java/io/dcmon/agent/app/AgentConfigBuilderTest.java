package io.dcmon.agent.app;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AgentConfig's builder starts from the defaults, copies a configuration faithfully and validates in build(). */
class AgentConfigBuilderTest {

    @Test
    void startsFromTheDefaultsAndChangesOnlyWhatIsSet() {
        AgentConfig d = AgentConfig.defaults();
        assertThat(d.authDir()).isEqualTo(Path.of("/etc/dcmon/auth"));
        assertThat(d.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.fanMinimumDutyPercent()).isEqualTo(25);

        AgentConfig c = AgentConfig.builder().server(URI.create("https://h:8443")).interval(Duration.ofSeconds(10))
                .tools(Map.of("ipmitool", new AgentConfig.ToolConfig("/usr/bin/ipmitool", null, null))).build();
        assertThat(c.server()).isEqualTo(URI.create("https://h:8443"));
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.spoolDir()).isEqualTo(d.spoolDir());
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.withAuthDir(Path.of("/tmp/a"), true).spoolDir()).isEqualTo(Path.of("/tmp/a/spool"));
    }

    @Test
    void buildValidates() {
        assertThatThrownBy(() -> AgentConfig.builder().interval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval was '0'");
        assertThatThrownBy(() -> AgentConfig.builder().logLevel("loud").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log_level was 'loud'");
        assertThatThrownBy(() -> AgentConfig.builder().fanMinimumDutyPercent(101).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum_duty_percent was 101");
    }
}
