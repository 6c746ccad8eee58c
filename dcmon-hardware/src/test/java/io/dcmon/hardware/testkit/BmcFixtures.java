package io.dcmon.hardware.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Captured tool outputs under {@code src/test/resources/fixtures/<kind>/}, each checked against the
 * {@code SOURCES.md} row beside it (byte count and sha256 prefix), so a test reads exactly the file the
 * attribution describes.
 */
public final class BmcFixtures {

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\d+) \\| ([0-9a-f]{12}) \\|");

    private BmcFixtures() {
    }

    /** The fixture files of a kind (without SOURCES.md), sorted. */
    public static List<String> files(String kind) {
        try (Stream<Path> s = Files.list(dir(kind))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("SOURCES.md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code kind/name}, after checking its size and sha256 prefix against SOURCES.md. */
    public static String read(String kind, String name) {
        try {
            byte[] bytes = Files.readAllBytes(dir(kind).resolve(name));
            String sources = Files.readString(dir(kind).resolve("SOURCES.md"), StandardCharsets.UTF_8);
            Row row = sources.lines().map(ROW::matcher).filter(Matcher::find)
                    .filter(m -> m.group(1).equals(kind + "/" + name))
                    .map(m -> new Row(Long.parseLong(m.group(2)), m.group(3)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("fixtures/" + kind + "/SOURCES.md has no row for " + name));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
            if (bytes.length != row.bytes() || !sha.equals(row.sha12())) {
                throw new AssertionError(kind + "/" + name + " is " + bytes.length + " bytes, sha256 " + sha
                        + " but SOURCES.md says " + row.bytes() + " bytes, " + row.sha12() + ": the file was changed");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path dir(String kind) {
        URL url = BmcFixtures.class.getResource("/fixtures/" + kind + "/SOURCES.md");
        if (url == null) {
            throw new AssertionError("no test resource fixtures/" + kind + "/SOURCES.md");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Row(long bytes, String sha12) {
    }
}
