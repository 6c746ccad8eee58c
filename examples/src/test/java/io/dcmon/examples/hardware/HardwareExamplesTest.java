package io.dcmon.examples.hardware;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two hardware examples run as a user would run them, against captured outputs and a scripted BMC. */
class HardwareExamplesTest {

    @TempDir
    Path tmp;

    @Test
    void readGpusPrintsEveryGpuOfACapturedH200Output() throws Exception {
        List<String> lines = ReadGpus.run(new String[] {
                "../dcmon-hardware/src/test/resources/fixtures/nvidia-smi/h200-driver590-query-gpu-all-fields-load.csv"});
        assertThat(lines.get(0)).startsWith("1 GPU(s) from capture");
        assertThat(lines.get(1)).isEqualTo("GPU 0 NVIDIA H200: 52 °C, 627.40 W of 700 W, fan not reported");
    }

    @Test
    void setFanModeDrivesTheBmcAndReportsWhatItHolds() throws Exception {
        Path bmc = tmp.resolve("ipmitool");
        try (InputStream in = getClass().getResourceAsStream("/fake-bmc/ipmitool")) {
            Files.copy(in, bmc);
        }
        assertThat(bmc.toFile().setExecutable(true)).isTrue();
        List<String> lines = SetFanMode.run(new String[] {"optimal", "70", bmc.toString()});
        assertThat(lines.get(0)).isEqualTo("mode is now optimal");
        assertThat(lines.get(1)).contains("requested 70%, BMC holds 70%").contains("mode switched from optimal to full");
        assertThat(Files.readString(tmp.resolve("bmc.state")).trim()).isEqualTo("1 70 100");
    }
}
