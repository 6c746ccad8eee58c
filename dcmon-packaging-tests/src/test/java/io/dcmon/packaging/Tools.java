package io.dcmon.packaging;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locates what the tests need from outside the module: the packaging folder, the jars the reactor
 * built, and the Debian tools shellcheck and systemd-analyze. A missing piece fails the test when
 * {@code CI=true} (CI installs everything, so absence is a broken pipeline) and skips it otherwise,
 * saying what to install.
 */
final class Tools {

    private Tools() {
    }

    /** The repository's {@code packaging/} folder. */
    static Path packaging() {
        Path p = Path.of(System.getProperty("dcmon.packaging.dir", "../packaging")).toAbsolutePath().normalize();
        Assertions.assertTrue(Files.isDirectory(p), "packaging folder not found at " + p);
        return p;
    }

    /** Absolute path of a tool on PATH, after the CI rule above. */
    static Path require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        missing(tool + " is not installed (Debian package " + debianPackage + ": apt-get install " + debianPackage
                + "; .ci/run installs it)");
        throw new AssertionError("unreachable");
    }

    private static final Map<String, Path> JARS = new ConcurrentHashMap<>();

    /**
     * A private copy of a jar the reactor built (property {@code dcmon.server.jar} / {@code dcmon.agent.jar}),
     * made once per test run, so that a rebuild while the tests run cannot swap it underneath them.
     */
    static synchronized Path jar(String property) throws IOException {
        Path cached = JARS.get(property);
        if (cached != null) {
            return cached;
        }
        String where = System.getProperty(property);
        Path jar = where == null ? null : Path.of(where);
        if (jar == null || !Files.isRegularFile(jar)) {
            missing(property + ": no jar at " + jar + "; build the apps first (mvn -DskipTests package, or mvn verify from the root)");
        }
        Path dir = Files.createTempDirectory("dcmon-packaging-jars");
        dir.toFile().deleteOnExit();
        Path copy = dir.resolve(jar.getFileName());
        Files.copy(jar, copy);
        copy.toFile().deleteOnExit();
        JARS.put(property, copy);
        return copy;
    }

    /** The java binary running these tests. */
    static Path currentJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static void missing(String what) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(what + " — CI=true, so this is an error, not a skip");
        }
        Assumptions.abort(what);
    }
}
