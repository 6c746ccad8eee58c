package io.dcmon.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads this machine's identity for registration: host name, machine id, a small hardware summary. */
public final class HostInfo {

    private HostInfo() {
    }

    /** The identity of the machine this JVM runs on. */
    public static Enrolment.HostIdentity local() {
        Map<String, String> hw = new LinkedHashMap<>();
        hw.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        hw.put("arch", System.getProperty("os.arch"));
        hw.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        firstLine(Path.of("/proc/cpuinfo"), "model name").ifPresent(m -> hw.put("cpu_model", m));
        return new Enrolment.HostIdentity(hostname(), read(Path.of("/etc/machine-id")), hw);
    }

    static String hostname() {
        String fromKernel = read(Path.of("/proc/sys/kernel/hostname"));
        if (!fromKernel.isEmpty()) {
            return fromKernel;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static java.util.Optional<String> firstLine(Path p, String key) {
        try (var lines = Files.lines(p)) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }
}
