package io.dcmon.hardware.ipmi;

// Test helper for the ipmi_sim peer in src/test/resources/ipmi-sim (plain JDK 17).
//
//   try (IpmiSim sim = IpmiSim.startOnFreePort(dir)) {
//       List<String> cmd = new ArrayList<>(List.of("ipmitool"));
//       cmd.addAll(sim.ipmitoolArgs());          // -I lanplus -H 127.0.0.1 -p <port> -U ADMIN -P ADMIN -C 3
//       cmd.add("sensor");
//       sim.console("sensor_set_value 0x20 0 0x41 4 1");   // FAN1 -> 400 RPM, logs SEL events
//   }

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running ipmi_sim started by start.sh; {@link #close()} runs stop.sh. Adapted from the shared ipmi-sim
 * helper: the scripts run through {@code bash} because Maven drops their execute bit when it copies test
 * resources.
 */
public final class IpmiSim implements AutoCloseable {
    public static final String USER = "ADMIN";
    public static final String PASSWORD = "ADMIN";

    private final Path dir;
    private final int port;
    private final long pid;

    private IpmiSim(Path dir, int port, long pid) {
        this.dir = dir;
        this.port = port;
        this.pid = pid;
    }

    /** True when ipmi_sim, sdrcomp and ipmitool are on this machine (apt-get install -y openipmi ipmitool). */
    public static boolean installed() {
        return List.of("ipmi_sim", "sdrcomp", "ipmitool").stream().allMatch(tool ->
                List.of("/usr/bin", "/usr/sbin", "/usr/local/bin").stream()
                        .anyMatch(d -> Files.isExecutable(Path.of(d, tool))));
    }

    /** Starts on {@code port} (UDP) with the console on {@code port + 1} (TCP); waits until it answers. */
    public static IpmiSim start(Path dir, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", dir.resolve("start.sh").toString(), Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("start.sh did not finish in 30 s");
        }
        if (p.exitValue() != 0 || !out.matches("\\d+")) {
            throw new IOException("start.sh failed with exit status " + p.exitValue() + ", output '" + out + "'");
        }
        return new IpmiSim(dir, port, Long.parseLong(out));
    }

    /** Picks a free loopback UDP port (and tries again if that port or port + 1 is taken meanwhile). */
    public static IpmiSim startOnFreePort(Path dir) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (port >= 65535) {
                continue;
            }
            try {
                return start(dir, port);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no free port found");
    }

    public int port() {
        return port;
    }

    public int consolePort() {
        return port + 1;
    }

    public long pid() {
        return pid;
    }

    /** Arguments that go between "ipmitool" and the ipmitool command (sensor, sdr elist, raw ...). */
    public List<String> ipmitoolArgs() {
        // -C 3: without it ipmitool 1.8.19 first asks for the cipher suites, which
        // ipmi_sim does not answer, and spends ~10 s before falling back to suite 3.
        return List.of("-I", "lanplus", "-H", "127.0.0.1", "-p", Integer.toString(port),
                "-U", USER, "-P", PASSWORD, "-C", "3");
    }

    /**
     * Runs ipmi_sim console commands (man 5 ipmi_sim_cmd) and returns what they printed
     * (empty on success). Throws IllegalStateException when ipmi_sim reports an error ("**...").
     */
    public String console(String... commands) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), consolePort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            StringBuilder lines = new StringBuilder("noecho\n");
            for (String c : commands) {
                lines.append(c).append('\n');
            }
            out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The console answers every line with "> "; the first prompt greets, the second follows "noecho".
            InputStream in = s.getInputStream();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int prompts = 0;
            while (prompts < commands.length + 2) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("ipmi_sim console closed the connection");
                }
                if (b == '>') {
                    prompts++;
                } else if (prompts >= 2 && b != '\r') {
                    text.write(b);
                }
            }
            String result = text.toString(StandardCharsets.US_ASCII).replaceAll("(?m)^ ", "").strip();
            if (result.contains("**")) {
                throw new IllegalStateException("ipmi_sim: " + result);
            }
            return result;
        }
    }

    /** Sets a threshold sensor's raw reading (value = M * raw * 10^R_EXP, see README) and logs SEL events. */
    public void setRaw(int sensorNumber, int raw) throws IOException {
        console(String.format(java.util.Locale.ROOT, "sensor_set_value 0x20 0 0x%02x %d 1", sensorNumber, raw));
    }

    @Override
    public void close() {
        try {
            Process p = new ProcessBuilder("bash", dir.resolve("stop.sh").toString(), Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
