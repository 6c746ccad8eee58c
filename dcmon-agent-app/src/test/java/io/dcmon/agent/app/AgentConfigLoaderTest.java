package io.dcmon.agent.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigLoaderTest {

    @TempDir
    Path tmp;

    Path yaml(String text) throws Exception {
        Path f = tmp.resolve("agent.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsServerIntervalSpoolAndToolPaths() throws Exception {
        AgentConfig c = AgentConfigLoader.load(yaml("""
                server: https://dcmon.example:8443
                interval: 15
                spool_max_mb: 64
                tools:
                  nvidia_smi:
                    path: /opt/nvidia/bin/nvidia-smi
                    timeout_seconds: 5
                  ipmitool:
                    args: ["-I", "lanplus", "-H", "10.0.0.5", "-U", "ADMIN", "-f", "/etc/dcmon/bmc.pass"]
                """));
        assertThat(c.server()).isEqualTo(URI.create("https://dcmon.example:8443"));
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.spoolMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.tools().get("nvidia_smi").path()).isEqualTo("/opt/nvidia/bin/nvidia-smi");
        assertThat(c.tools().get("nvidia_smi").timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.tools().get("ipmitool").args()).containsExactly("-I", "lanplus", "-H", "10.0.0.5", "-U", "ADMIN", "-f", "/etc/dcmon/bmc.pass");
    }

    @Test
    void listsAllProblemsTogether() throws Exception {
        assertThatThrownBy(() -> AgentConfigLoader.load(yaml("""
                serverUrl: http://x
                interval: 0
                tools:
                  nvidia-smi: {path: /x}
                  ipmitool: {pth: /usr/bin/ipmitool}
                """)))
                .hasMessageContaining("has the following errors:")
                .hasMessageContaining("serverUrl: unknown property. Did you mean 'server'?")
                .hasMessageContaining("interval was '0' but it must be a whole number of at least 1")
                .hasMessageContaining("tools.nvidia-smi: unknown property. Did you mean 'nvidia_smi'?")
                .hasMessageContaining("tools.ipmitool.pth: unknown property. Did you mean 'path'?");
    }

    @Test
    void refusesANonHttpServer() throws Exception {
        assertThatThrownBy(() -> AgentConfigLoader.load(yaml("server: ftp://x\n")))
                .hasMessageContaining("must be an http:// or https:// URL");
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        AgentConfig c = AgentConfigLoader.load(yaml(""));
        assertThat(c).isEqualTo(AgentConfig.defaults());
        assertThat(c.tools()).isEmpty();
        assertThat(List.copyOf(AgentConfigLoader.KEYS)).contains("tools");
    }
}
