package io.dcmon.hardware;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every copied fixture is attributed in SOURCES.md, and the files are the ones SOURCES.md describes. */
class FixtureSourcesTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\| (\\d+) \\| ([0-9a-f]{12}) \\|");

    static Stream<String> allFixtures() {
        return Stream.of("apt", "nvidia-smi", "nvme", "proc", "smartctl").flatMap(k -> Fixtures.all(k).stream());
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void everyFixtureIsAttributedAndUnchanged(String file) throws Exception {
        String sources = Fixtures.text("SOURCES.md");
        Matcher m = ROW.matcher(sources);
        while (m.find()) {
            if (m.group(1).equals(file)) {
                byte[] bytes = Files.readAllBytes(Fixtures.path(file));
                assertThat(bytes.length).as("size of %s", file).isEqualTo(Integer.parseInt(m.group(2)));
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                assertThat(sha).as("sha256 of %s", file).startsWith(m.group(3));
                return;
            }
        }
        // files of the second H100 capture are listed by name or by pattern in their own section
        String name = file.substring(file.lastIndexOf('/') + 1);
        String section = sources.substring(sources.indexOf("## Second H100 host"));
        boolean listed = section.contains(name)
                || (name.startsWith("h100b-") && section.contains(name.replaceAll("-(idle|load)\\.", "-{idle,load}.")))
                || (name.startsWith("h100b-") && section.contains(name.replaceAll("-(idle|load)\\.xml", "-idle.xml")))
                || (file.startsWith("nvidia-smi/errors/driver580-") && section.contains("nvidia-smi/errors/driver580-*.txt"))
                || (name.startsWith("h100b-q-x-") && section.contains("h100b-q-x-idle.xml"))
                || (name.startsWith("h100b-query-gpu-all-fields-") && section.contains(name.replaceAll("(idle|load)\\.csv", "{idle,load}.csv")));
        assertThat(listed).as("%s is attributed in SOURCES.md", file).isTrue();
    }

    @Test
    void everyKindIsPresent() {
        assertThat(allFixtures().toList()).hasSizeGreaterThanOrEqualTo(77);
        for (String kind : List.of("apt", "nvidia-smi", "nvme", "proc", "smartctl")) {
            assertThat(Fixtures.all(kind)).as(kind).isNotEmpty();
        }
    }
}
