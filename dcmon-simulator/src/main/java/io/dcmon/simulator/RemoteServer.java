package io.dcmon.simulator;

import java.net.URI;
import java.util.Objects;
import java.util.OptionalLong;

/** A server that is already running at a URL; this JVM cannot see its memory, CPU or database. */
public record RemoteServer(URI uri, String adminToken) implements ServerUnderTest {

    public RemoteServer {
        Objects.requireNonNull(uri, "uri");
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("the admin token for " + uri + " is empty: pass --admin-token-file with the "
                    + "server's admin_token file");
        }
        String host = uri.getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"))) {
            throw new IllegalArgumentException("--url " + uri + " is not on this machine; the simulator only talks to 127.0.0.1 "
                    + "or ::1 so that a load test never hits a production server by mistake");
        }
    }

    @Override
    public OptionalLong rssBytes() {
        return OptionalLong.empty();
    }

    @Override
    public OptionalLong rssAnonBytes() {
        return OptionalLong.empty();
    }

    @Override
    public OptionalLong peakRssBytes() {
        return OptionalLong.empty();
    }

    @Override
    public OptionalLong cpuNanos() {
        return OptionalLong.empty();
    }

    @Override
    public OptionalLong databaseBytes() {
        return OptionalLong.empty();
    }

    @Override
    public String kind() {
        return "remote";
    }

    @Override
    public String storage() {
        return "unknown";
    }

    @Override
    public boolean sharesJvm() {
        return false;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
