package io.dcmon.packaging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real dcmon server from the built jar in dev mode (plain HTTP on 127.0.0.1), for registering agents against. */
final class DevServer implements AutoCloseable {

    final int port;
    final Path dataDir;
    private final Service process;

    private DevServer(int port, Path dataDir, Service process) {
        this.port = port;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** Starts a server with its data in {@code dataDir} on {@code port} (0: a free one) and waits until it listens. */
    static DevServer start(Path dataDir, int port) throws IOException, InterruptedException {
        int p = port == 0 ? freePort() : port;
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Service s = Service.start(List.of(Tools.currentJava().toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", Tools.jar("dcmon.server.jar").toString(), "run", "--dev", "--data-dir", dataDir.toString(),
                "--port", Integer.toString(p)), dataDir.getParent(), log);
        try {
            s.awaitReady(() -> s.output().contains("listening on"), Duration.ofSeconds(120), "dev server on port " + p);
        } catch (AssertionError | InterruptedException e) {
            s.close();
            throw e;
        }
        return new DevServer(p, dataDir, s);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path adminToken() {
        return dataDir.resolve("admin_token");
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
