package io.dcmon.prometheus;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Labels;

import java.util.Map;
import java.util.TreeMap;

/**
 * The labels a dcmon series carries in Prometheus: its own labels plus {@code instance} (the machine's hostname)
 * and {@code client} (its dcmon client id, unique even where hostnames repeat). This is the same for the scrape
 * endpoint and for remote write, so the two paths give the same series. A series that already has a label of
 * one of these names keeps it as {@code exported_instance} / {@code exported_client}, as Prometheus itself does.
 */
public final class FleetLabels {

    /** The machine's hostname. */
    public static final String INSTANCE = "instance";
    /** The machine's dcmon client id. */
    public static final String CLIENT = "client";

    private FleetLabels() {
    }

    /**
     * The labels of one series of one client, sorted by name, without the metric name.
     *
     * @param clientId the client id
     * @param hostname the client's hostname, or null when the client is unknown (then {@code instance} is the id)
     * @param labels   the series' own labels
     */
    public static TreeMap<String, String> of(long clientId, String hostname, Labels labels) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : labels.map().entrySet()) {
            String name = e.getKey().equals(INSTANCE) || e.getKey().equals(CLIENT) ? "exported_" + e.getKey() : e.getKey();
            out.put(name, e.getValue());
        }
        String id = Long.toString(clientId);
        out.put(INSTANCE, hostname == null || hostname.isEmpty() ? id : hostname);
        out.put(CLIENT, id);
        return out;
    }

    /** {@link #of(long, String, Labels)} for a known client. */
    public static TreeMap<String, String> of(Client client, Labels labels) {
        return of(client.id(), client.hostname(), labels);
    }
}
