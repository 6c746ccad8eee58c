package io.dcmon.agent.app;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The service's {@code run} command line is parsed without picocli; anything else is left to picocli. */
class RunCommandLineTest {

    @Test
    void theUnitsCommandLineIsParsedWithoutPicocli() {
        Main.Run r = Main.Run.plain("run", "--config", "/etc/dcmon/agent.yaml", "--auth-dir", "/a", "--server", "https://h:8443",
                "--interval", "15");
        assertThat(r).isNotNull();
        assertThat(r.config).isEqualTo(Path.of("/etc/dcmon/agent.yaml"));
        assertThat(r.authDir).isEqualTo(Path.of("/a"));
        assertThat(r.server).isEqualTo(URI.create("https://h:8443"));
        assertThat(r.interval).isEqualTo(15);
        assertThat(Main.Run.plain("run")).isNotNull();
    }

    @Test
    void anythingElseGoesToPicocli() {
        assertThat(Main.Run.plain("run", "--help")).isNull();
        assertThat(Main.Run.plain("run", "--config")).as("a flag without its value").isNull();
        assertThat(Main.Run.plain("run", "--interval", "soon")).isNull();
        assertThat(Main.Run.plain("run", "--config=/etc/dcmon/agent.yaml")).isNull();
        assertThat(Main.Run.plain("run", "--verbose", "x")).isNull();
        assertThat(Main.Run.plain("status", "--config", "/x")).isNull();
        assertThat(Main.Run.plain()).isNull();
        assertThat(Main.execute("run", "--interval", "soon")).as("picocli explains a bad value; usage exit code").isEqualTo(Main.EXIT_USAGE);
    }
}
