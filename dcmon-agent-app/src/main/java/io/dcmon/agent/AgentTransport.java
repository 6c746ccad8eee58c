package io.dcmon.agent;

import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The four calls the running agent makes to its server. {@link UrlConnectionTransport} is what {@code dcmon-agent run}
 * uses (small: no HTTP client threads, no object mapper); {@link #of(DcmonClient)} adapts the transport module's
 * client, for embedding and tests. Implementations are thread-safe: pushes and the command long-poll run on
 * different threads.
 */
public interface AgentTransport {

    /** The server's base URI (ends with {@code /}). */
    URI server();

    /**
     * {@code POST /api/metrics} with a batch already in wire form and gzip-compressed ({@link BatchCodec}), so a
     * spooled batch is sent as it was written. Safe to repeat: the server stores each sample once.
     */
    void push(String clientToken, byte[] gzipBatch) throws DcmonClientException;

    /** The long-poll {@code GET /api/commands/{clientId}?wait=…}: the commands queued, or none after {@code wait}. */
    List<CommandView> pollCommands(String clientToken, long clientId, Duration wait) throws DcmonClientException;

    /** {@code POST /api/command-results}. */
    void reportResult(String clientToken, CommandResult result) throws DcmonClientException;

    /** The transport module's {@link DcmonClient} as an agent transport (decodes each batch to push it). */
    static AgentTransport of(DcmonClient client) {
        Objects.requireNonNull(client, "client");
        BatchCodec codec = new BatchCodec();
        return new AgentTransport() {
            @Override
            public URI server() {
                return client.server();
            }

            @Override
            public void push(String clientToken, byte[] gzipBatch) throws DcmonClientException {
                try {
                    client.push(clientToken, codec.decode(gzipBatch));
                } catch (IOException e) {
                    throw new DcmonClientException(400, e.getMessage(), false, "batch could not be decoded: " + e.getMessage(), e);
                }
            }

            @Override
            public List<CommandView> pollCommands(String clientToken, long clientId, Duration wait) throws DcmonClientException {
                return client.pollCommands(clientToken, clientId, wait);
            }

            @Override
            public void reportResult(String clientToken, CommandResult result) throws DcmonClientException {
                client.reportResult(clientToken, result);
            }
        };
    }
}
