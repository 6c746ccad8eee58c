package io.dcmon.agent;

import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.RegisterResponse;

import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/** Registers this machine with a server: key pair (created once), signed request, saved token. */
public final class Enrolment {

    private final AgentState state;
    private final Clock clock;

    public Enrolment(AgentState state, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers with {@code server} using the admin token (held in memory only) and saves the result.
     * With a {@code pin} (SHA-256 of the server's certificate) the connection is refused unless the server presents
     * exactly that certificate, and the pin is saved for every later connection.
     * Registering again with the same key keeps the client id and replaces the token.
     */
    public AgentState.Registration register(URI server, String pin, String adminToken, HostIdentity host)
            throws IOException, DcmonClientException {
        KeyPair keys = state.loadOrCreateKey();
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        RegistrationRequest request = RegistrationRequest.sign(keys, host.hostname(), host.machineId(),
                host.hardware(), clock.instant(), HexFormat.of().formatHex(nonce));
        DcmonClient client = pin == null ? DcmonClient.create(server) : DcmonClient.create(server, pin);
        RegisterResponse response = client.register(request, adminToken);
        AgentState.Registration r = new AgentState.Registration(response.clientId(), response.clientToken(), server, pin);
        state.save(r);
        return r;
    }

    /**
     * Who this machine is, as sent at registration.
     *
     * @param hostname  host name
     * @param machineId /etc/machine-id, or empty
     * @param hardware  small summary (CPU model, cores, memory)
     */
    public record HostIdentity(String hostname, String machineId, Map<String, String> hardware) {
        public HostIdentity {
            Objects.requireNonNull(hostname, "hostname");
            machineId = machineId == null ? "" : machineId;
            hardware = Map.copyOf(hardware);
        }
    }
}
