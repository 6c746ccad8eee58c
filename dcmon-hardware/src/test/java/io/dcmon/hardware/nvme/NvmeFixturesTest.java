package io.dcmon.hardware.nvme;

import io.dcmon.hardware.Fixtures;
import io.dcmon.hardware.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every nvme and smartctl fixture is parsed and checked against values read off the file. */
class NvmeFixturesTest {

    static Consumer<String> list(String... pathModel) {
        return t -> {
            List<NvmeDevice> d = NvmeJson.parseList(t);
            assertThat(d).hasSize(pathModel.length / 2);
            for (int i = 0; i < d.size(); i++) {
                assertThat(d.get(i).devicePath()).isEqualTo(pathModel[2 * i]);
                assertThat(d.get(i).model()).contains(pathModel[2 * i + 1]);
            }
        };
    }

    /** Temperature °C, percentage used, power-on hours, data written (units), unsafe shutdowns. */
    static Consumer<String> smartctl(String device, String model, double temp, Long used, long hours, Long unitsWritten, Long unsafe) {
        return t -> {
            NvmeHealth h = SmartctlJson.parse(t);
            assertThat(h.device()).isEqualTo(device);
            assertThat(h.model()).contains(model);
            assertThat(h.temperatureCelsius()).hasValue(temp);
            if (used == null) {
                assertThat(h.percentageUsed()).isEmpty();
            } else {
                assertThat(h.percentageUsed()).hasValue(used);
                assertThat(h.availableSparePercent()).hasValue(100);
                assertThat(h.mediaErrors()).hasValue(0);
                assertThat(h.criticalWarning()).hasValue(0);
            }
            assertThat(h.powerOnHours()).hasValue(hours);
            if (unitsWritten == null) {
                assertThat(h.dataWrittenBytes()).isEmpty();
            } else {
                assertThat(h.dataWrittenBytes()).hasValue(unitsWritten * 512_000L);
            }
            if (unsafe == null) {
                assertThat(h.unsafeShutdowns()).isEmpty();
            } else {
                assertThat(h.unsafeShutdowns()).hasValue(unsafe);
            }
        };
    }

    static final Map<String, Consumer<String>> EXPECTED = Map.ofEntries(
            Map.entry("nvme/nvme-list-empty.json", list()),
            Map.entry("nvme/nvme-list-nvmecli-1.x-micron-mtfdhba512tck-samsung-pm9a3-x2.json", list(
                    "/dev/nvme0n1", "MTFDHBA512TCK", "/dev/nvme1n1", "MZOL23T8HCLS-00AFB", "/dev/nvme2n1", "MZOL23T8HCLS-00AFB").andThen(t -> {
                        NvmeDevice d = NvmeJson.parseList(t).get(0);
                        assertThat(d.serial()).contains("21062E6B8061"); // printed with leading blanks
                        assertThat(d.physicalSizeBytes()).hasValue(512110190592L);
                    })),
            Map.entry("nvme/nvme-list-nvmecli-1.x-toshiba-xg6-kxg60znv1t02.json",
                    list("/dev/nvme0n1", "KXG60ZNV1T02 NVMe TOSHIBA 1024GB")),
            Map.entry("nvme/nvme-list-nvmecli-1.x-wdc-sn720-samsung-pm983-x2.json", list(
                    "/dev/nvme0n1", "WDC CL SN720 SDAQNTW-512G-1020", "/dev/nvme1n1", "MZ1LB960HBJR-000FB", "/dev/nvme2n1", "MZ1LB960HBJR-000FB")),
            Map.entry("nvme/nvme-list-nvmecli-2.11-seagate-firecuda-530-x3.json", list(
                    "/dev/nvme0n1", "Seagate FireCuda 530 ZP4000GM30023", "/dev/nvme1n1", "Seagate FireCuda 530 ZP4000GM30023",
                    "/dev/nvme2n1", "Seagate FireCuda 530 ZP4000GM30023").andThen(t -> {
                        NvmeDevice d = NvmeJson.parseList(t).get(2);
                        assertThat(d.serial()).contains("7VS00KNX");
                        assertThat(d.firmware()).contains("SU6SM001");
                        assertThat(d.physicalSizeBytes()).hasValue(4000787030016L);
                        assertThat(d.name()).isEqualTo("nvme2n1");
                    })),
            Map.entry("nvme/nvme-list-nvmecli-2.3-seagate-firecuda-530-x2.json", list(
                    "/dev/nvme0n1", "Seagate FireCuda 530 ZP4000GM30023", "/dev/nvme1n1", "Seagate FireCuda 530 ZP4000GM30023")),
            Map.entry("nvme/nvme-smart-log-nvmecli-2.11-seagate-firecuda-530.json", t -> {
                NvmeHealth h = NvmeJson.parseSmartLog("/dev/nvme0", t);
                assertThat(h.temperatureCelsius()).hasValue(51); // 324 K
                assertThat(h.percentageUsed()).hasValue(30);
                assertThat(h.availableSparePercent()).hasValue(100);
                assertThat(h.availableSpareThresholdPercent()).hasValue(5);
                assertThat(h.criticalWarning()).hasValue(0); // 2.11 prints an object with "value"
                assertThat(h.mediaErrors()).hasValue(0);
                assertThat(h.errorLogEntries()).hasValue(212);
                assertThat(h.powerOnHours()).hasValue(24424);
                assertThat(h.unsafeShutdowns()).hasValue(49);
                assertThat(h.dataReadBytes()).hasValue(178037231L * 512_000L);
                assertThat(h.dataWrittenBytes()).hasValue(1928683480L * 512_000L);
            }),
            Map.entry("nvme/nvme-smart-log-nvmecli-2.3.json", t -> {
                NvmeHealth h = NvmeJson.parseSmartLog("/dev/nvme0", t);
                assertThat(h.temperatureCelsius()).hasValue(37); // 310 K
                assertThat(h.percentageUsed()).hasValue(2);
                assertThat(h.criticalWarning()).hasValue(0);
                assertThat(h.powerOnHours()).hasValue(4974);
                assertThat(h.unsafeShutdowns()).hasValue(39);
                assertThat(h.errorLogEntries()).hasValue(110);
                assertThat(h.dataWrittenBytes()).hasValue(136157684L * 512_000L);
            }),
            Map.entry("smartctl/nvme-hgst-sn200-husmr7632bhp301-smartctl-j.json",
                    smartctl("/dev/nvme0", "HUSMR7632BHP301", 40, 5L, 482, 2824080560L, 29L)),
            Map.entry("smartctl/nvme-intel-p4510-ssdpe2kx020t8-smartctl-j.json",
                    smartctl("/dev/nvme2", "INTEL SSDPE2KX020T8", 29, 22L, 36959, 2643181154L, 21L)),
            Map.entry("smartctl/nvme-micron-7450-mtfdkcb3t8tfr-smartctl-j.json",
                    smartctl("/dev/nvme6", "Micron_7450_MTFDKCB3T8TFR", 27, 0L, 150, 27054698L, 0L)),
            Map.entry("smartctl/nvme-sabrent-rocket-4.0-1tb-smartctl-a-j.json",
                    smartctl("/dev/nvme0", "Sabrent Rocket 4.0 1TB", 48, 4L, 8733, 76471882L, 39L).andThen(t ->
                            assertThat(SmartctlJson.parse(t).errorLogEntries()).hasValue(4871))),
            Map.entry("smartctl/nvme-samsung-pm9a1-mzvl21t0hclr-smartctl-j.json",
                    smartctl("/dev/nvme0", "SAMSUNG MZVL21T0HCLR-00B00", 29, 16L, 10423, 113662783L, 1L)),
            Map.entry("smartctl/nvme-samsung-pm9a3-mzql21t9hcjr-smartctl-j.json",
                    smartctl("/dev/nvme0", "SAMSUNG MZQL21T9HCJR-00A07", 22, 3L, 13113, 267397176L, 34L)),
            Map.entry("smartctl/nvme-seagate-firecuda-530-4tb-smartctl-a-j.json",
                    smartctl("/dev/nvme0", "Seagate FireCuda 530 ZP4000GM30023", 39, 0L, 3113, 0L, 1L)),
            Map.entry("smartctl/sata-samsung-pm883-mz7lh1t9hmlt-smartctl-j.json",
                    smartctl("/dev/sda", "SAMSUNG MZ7LH1T9HMLT-00005", 24, null, 4717, null, null)));

    static Stream<String> fixtures() {
        return Stream.concat(Fixtures.all("nvme").stream(), Fixtures.all("smartctl").stream());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyNvmeAndSmartctlFixtureParsesToTheValuesInTheFile(String file) {
        assertThat(EXPECTED).as("expectations for %s (add them when adding a fixture)", file).containsKey(file);
        EXPECTED.get(file).accept(Fixtures.text(file));
    }

    @Test
    void kelvinIsConvertedBySubtracting273AndStringsWithUnitsAreAccepted() {
        assertThat(NvmeJson.parseSmartLog("d", "{\"temperature\":273,\"critical_warning\":0}").temperatureCelsius()).hasValue(0);
        assertThat(NvmeJson.parseSmartLog("d", "{\"temperature\":\"45 C\",\"critical_warning\":0}").temperatureCelsius()).hasValue(45);
        assertThat(NvmeJson.parseSmartLog("d", "{\"temperature\":\"318 K\",\"critical_warning\":0}").temperatureCelsius()).hasValue(45);
        assertThat(NvmeJson.parseSmartLog("d", "{\"temperature\":0,\"critical_warning\":0}").temperatureCelsius())
                .as("0 K means no sensor, not -273 °C").isEmpty();
    }

    @Test
    void nvmeCli1xPercentageUsedSpellingAndStringCountersAreRead() {
        NvmeHealth h = NvmeJson.parseSmartLog("d", "{\"critical_warning\":4,\"temperature\":300,\"percentage_used\":7,"
                + "\"available_spare\":90,\"available_spare_threshold\":10,\"data_units_written\":\"3402823669\",\"data_units_read\":340282366920938463463}");
        assertThat(h.percentageUsed()).hasValue(7);
        assertThat(h.availableSparePercent()).hasValue(90);
        assertThat(h.criticalWarning()).hasValue(4);
        assertThat(h.dataWrittenBytes()).hasValue(3402823669L * 512_000L);
        assertThat(h.dataReadBytes()).as("beyond 2^63 bytes: absent, not wrapped").isEmpty();
    }

    @Test
    void smartctlThatCouldNotOpenTheDeviceIsAClearError() {
        String json = "{\"smartctl\":{\"exit_status\":2,\"messages\":[{\"string\":\"Smartctl open device: /dev/nvme9 failed: No such device\","
                + "\"severity\":\"error\"}]}}";
        assertThatThrownBy(() -> SmartctlJson.parse(json)).isInstanceOf(ParseException.class)
                .hasMessage("smartctl -j output: smartctl could not read the device (exit status 2): "
                        + "Smartctl open device: /dev/nvme9 failed: No such device");
    }

    @Test
    void wrongDocumentsAreRejectedSayingWhatWasExpected() {
        assertThatThrownBy(() -> NvmeJson.parseList("{\"devices\":[]}")).hasMessageContaining("no \"Devices\" array");
        assertThatThrownBy(() -> NvmeJson.parseSmartLog("d", "{}")).hasMessageContaining("no \"temperature\" or \"critical_warning\" key");
        assertThatThrownBy(() -> NvmeJson.parseList("nvme: command not found")).hasMessageStartingWith("nvme list -o json output: not JSON (line 1 column 1");
    }
}
