package io.dcmon.agent;

import io.dcmon.core.service.Keys;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.transport.client.DcmonClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent keeps in its auth directory (mode 700, files 600): its RSA key pair, and after registration
 * its client id, client token and the server it registered with. The admin token is never written here.
 */
public final class AgentState {

    static final String KEY_FILE = "client_key.pem";
    static final String TOKEN_FILE = "client_token";
    static final String ID_FILE = "client_id";
    static final String SERVER_FILE = "server_url";
    static final String PIN_FILE = "server_pin";

    /** How far the agent is set up; the numbers are the exit codes of {@code dcmon-agent status}. */
    public enum Setup {
        /** Registered (and, for {@code status}, verified by the server). */
        REGISTERED(0),
        /** Installed (a key exists) but not registered, or no longer known to the server. */
        INSTALLED(1),
        /** Nothing is set up. */
        NOTHING(2);

        private final int exitCode;

        Setup(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The exit status {@code dcmon-agent status} uses for this state. */
        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * A completed registration.
     *
     * @param clientId the id the server assigned
     * @param token    the client token (secret)
     * @param server   the server's base URI
     * @param pin      SHA-256 fingerprint of the server's certificate, or null when a public CA vouches for it or
     *                 the server speaks plain HTTP
     */
    public record Registration(long clientId, String token, URI server, String pin) {
        public Registration {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(server, "server");
        }

        /** A client for this server, verifying the pin on every connection when there is one. */
        public DcmonClient client() {
            return pin == null ? DcmonClient.create(server) : DcmonClient.create(server, pin);
        }

        /** The lean transport {@code dcmon-agent run} uses, verifying the pin on every connection when there is one. */
        public AgentTransport transport() {
            return UrlConnectionTransport.create(server, pin);
        }

        @Override
        public String toString() {
            return "Registration[clientId=" + clientId + ", token=<masked>, server=" + server + ", pin=" + pin + "]";
        }
    }

    private final Path dir;

    public AgentState(Path authDir) {
        this.dir = Objects.requireNonNull(authDir, "authDir");
    }

    /** The auth directory. */
    public Path directory() {
        return dir;
    }

    /** The agent's key pair, generated (RSA-2048) and saved with mode 600 on first use. */
    public KeyPair loadOrCreateKey() throws IOException {
        Path file = dir.resolve(KEY_FILE);
        Optional<String> pem = SecretFiles.read(file);
        if (pem.isPresent()) {
            try {
                return Keys.parsePrivatePem(pem.get());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is not a readable key (" + e.getMessage()
                        + "); move it away and register again to create a new one");
            }
        }
        KeyPair kp = Keys.generateRsa();
        SecretFiles.write(file, Keys.toPem(kp.getPrivate()));
        return kp;
    }

    /** Saves a registration (token with mode 600). */
    public void save(Registration r) throws IOException {
        SecretFiles.write(dir.resolve(TOKEN_FILE), r.token() + "\n");
        SecretFiles.write(dir.resolve(ID_FILE), r.clientId() + "\n");
        SecretFiles.write(dir.resolve(SERVER_FILE), r.server() + "\n");
        if (r.pin() != null) {
            SecretFiles.write(dir.resolve(PIN_FILE), r.pin() + "\n");
        } else {
            Files.deleteIfExists(dir.resolve(PIN_FILE));
        }
    }

    /** The saved registration, if the agent has registered. */
    public Optional<Registration> registration() {
        try {
            Optional<String> token = SecretFiles.read(dir.resolve(TOKEN_FILE));
            Optional<String> id = SecretFiles.read(dir.resolve(ID_FILE));
            Optional<String> server = SecretFiles.read(dir.resolve(SERVER_FILE));
            Optional<String> pin = SecretFiles.read(dir.resolve(PIN_FILE)).filter(p -> !p.isEmpty());
            if (token.isEmpty() || id.isEmpty() || server.isEmpty() || token.get().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Registration(Long.parseLong(id.get()), token.get(), URI.create(server.get()), pin.orElse(null)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the agent's registration in " + dir, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the registration in " + dir + " is damaged (" + e.getMessage()
                    + "); run 'dcmon-agent register' again", e);
        }
    }

    /** Local setup, without asking the server. */
    public Setup localSetup() {
        if (registration().isPresent()) {
            return Setup.REGISTERED;
        }
        return Files.exists(dir.resolve(KEY_FILE)) ? Setup.INSTALLED : Setup.NOTHING;
    }
}
