package io.dcmon.hardware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Access to the captured outputs under src/test/resources/fixtures (see SOURCES.md there). */
public final class Fixtures {
    private Fixtures() {
    }

    /** The fixtures folder on the test class path. */
    public static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/SOURCES.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixture by its path relative to fixtures/, e.g. {@code nvidia-smi/h100-q-x-idle.xml}. */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        return p;
    }

    /** The text of a fixture. */
    public static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of a kind (a folder under fixtures/), as paths relative to fixtures/, sorted. */
    public static List<String> all(String kind) {
        Path root = root();
        try (Stream<Path> s = Files.walk(root.resolve(kind))) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
