package io.dcmon.hardware.apt;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Fixtures;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AptTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "apt/debian-apt-get-s-qq-upgrade-nothing.txt, 0, 0, -1",
            "apt/debian6-squeeze-apt-get-s-upgrade-13-upgrades.txt, 13, 0, 13",
            "apt/gpu-vm-ubuntu2404-apt-get-s-upgrade-0-upgraded.txt, 0, 0, 0",
            "apt/ubuntu1204-apt-get-s-qq-upgrade-security.txt, 25, 14, -1"})
    void everyAptFixtureGivesItsPendingAndSecurityCounts(String file, int pending, int security, int summary) {
        AptUpgrades u = AptUpgrades.parse(Fixtures.text(file));
        assertThat(u.pending()).isEqualTo(pending);
        assertThat(u.security()).isEqualTo(security);
        if (summary < 0) {
            assertThat(u.summaryUpgraded()).isEmpty();
        } else {
            assertThat(u.summaryUpgraded()).hasValue(summary);
        }
        assertThat(u.skippedLines()).isZero();
        assertThat(Fixtures.all("apt")).contains(file);
    }

    @Test
    void everyAptFixtureIsCovered() {
        assertThat(Fixtures.all("apt")).hasSize(4);
    }

    @Test
    void instLinesKeepNameVersionsAndOrigins() {
        AptUpgrades u = AptUpgrades.parse(Fixtures.text("apt/ubuntu1204-apt-get-s-qq-upgrade-security.txt"));
        AptUpgrades.PendingUpgrade first = u.packages().get(0);
        assertThat(first.name()).isEqualTo("libc6-dev");
        assertThat(first.installed()).contains("2.15-0ubuntu10");
        assertThat(first.candidate()).isEqualTo("2.15-0ubuntu10.2");
        assertThat(first.origins()).isEqualTo("Ubuntu:12.04/precise-security");
        assertThat(first.security()).isTrue();
        AptUpgrades.PendingUpgrade apt = u.packages().stream().filter(p -> p.name().equals("apt")).findFirst().orElseThrow();
        assertThat(apt.security()).isFalse();
    }

    @Test
    void truncatedOutputIsRejected() {
        String cut = "1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n";
        assertThatThrownBy(() -> AptUpgrades.parse(cut)).hasMessageContaining("the summary says 1 upgraded but there are 0 Inst lines");
    }

    @Test
    void collectorRunsTheSimulationAndReadsTheRebootFlag() throws Exception {
        Path out = dir.resolve("out.txt");
        Files.copy(Fixtures.path("apt/ubuntu1204-apt-get-s-qq-upgrade-security.txt"), out);
        Path args = dir.resolve("args.txt");
        Path bin = dir.resolve("apt-get");
        Files.writeString(bin, "#!/bin/sh\necho \"$@\" > " + args + "\ncat " + out + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("var/run"));
        Files.writeString(root.resolve("var/run/reboot-required"), "*** System restart required ***\n");
        Files.writeString(root.resolve("var/run/reboot-required.pkgs"), "linux-image-6.8.0-49-generic\nlinux-base\nlinux-base\n");

        AptCollector c = new AptCollector(new ToolRunner(Tool.of(bin.toString(), Duration.ofSeconds(10)), ProcessCommandRunner.local()), root, CLOCK);
        assertThat(c.availability().available()).isTrue();
        List<Sample> s = c.collect();
        assertThat(s).containsExactly(
                Sample.of(SeriesKey.of(AptCollector.UPGRADES_PENDING), CLOCK.millis(), 25L),
                Sample.of(SeriesKey.of(AptCollector.SECURITY_UPGRADES_PENDING), CLOCK.millis(), 14L),
                Sample.of(SeriesKey.of(AptCollector.REBOOT_REQUIRED), CLOCK.millis(), 1L),
                Sample.of(SeriesKey.of(AptCollector.REBOOT_REQUIRED_PACKAGES), CLOCK.millis(), 2L));
        assertThat(Files.readString(args).strip()).isEqualTo("-s -o Debug::NoLocking=true upgrade").doesNotContain("update");
    }

    @Test
    void noRebootFlagMeansZero() {
        assertThat(RebootRequired.read(dir)).isEqualTo(new RebootRequired(false, java.util.Set.of()));
    }
}
