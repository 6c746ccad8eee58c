package io.dcmon.agent.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code collect --once} with ipmitool pointed (in the agent config) at a script that prints a captured
 * {@code ipmitool sensor} listing from a Supermicro X10 board: the real process path, the real parser.
 */
class CollectOnceTest {

    @TempDir
    Path tmp;

    @Test
    void collectOnceRunsAConfiguredToolPathAndPrintsItsSamplesAsJson() throws Exception {
        Path capture = tmp.resolve("sensor.txt");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/ipmitool/supermicro-x10-dual-socket-sensor-list.txt")) {
            Files.copy(in, capture);
        }
        Path script = tmp.resolve("ipmitool");
        Files.writeString(script, "#!/bin/sh\ncase \"$*\" in\n  *'mc info'*) echo 'Device ID : 32' ;;\n"
                + "  *sensor*) cat '" + capture + "' ;;\n  *) echo \"unexpected: $*\" >&2; exit 1 ;;\nesac\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "auth_dir: " + tmp.resolve("auth") + "\ntools:\n  ipmitool:\n    path: " + script + "\n");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.execute("collect", "--once", "--format", "json", "--config", config.toString());
        } finally {
            System.setOut(saved);
        }
        assertThat(exit).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        List<String> available = new ArrayList<>();
        java.util.Set<String> all = new java.util.TreeSet<>();
        doc.get("collectors").forEach(c -> all.add(c.get("name").asText()));
        // the server validates config_update's collector names against this list: it must name exactly these
        assertThat(all).isEqualTo(io.dcmon.core.command.CommandTypes.COLLECTORS);
        doc.get("collectors").forEach(c -> {
            if (c.get("available").asBoolean()) {
                available.add(c.get("name").asText());
            }
        });
        assertThat(available).contains("os", "ipmi");
        double cpu1 = Double.NaN;
        long memTotal = -1;
        for (JsonNode s : doc.get("samples")) {
            if (s.get("metric").asText().equals("ipmi_temperature_celsius") && s.get("labels").path("sensor").asText().equals("CPU1 Temp")) {
                cpu1 = s.get("value").asDouble();
            }
            if (s.get("metric").asText().equals("node_memory_total_bytes")) {
                memTotal = s.get("value").asLong();
            }
        }
        assertThat(cpu1).isEqualTo(29.0);
        long expected = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
        assertThat(memTotal).isEqualTo(expected);
    }
}
