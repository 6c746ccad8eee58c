package io.dcmon.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dcmon.core.config.ConfigErrors;
import io.dcmon.transport.wire.FleetView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the server's YAML file over a base configuration and reports every problem at once, Dropwizard style:
 * "FILE has the following errors:" then one "  * ..." line each, unknown keys with a "did you mean" hint.
 */
final class ConfigLoader {

    static final Set<String> KEYS = Set.of("host", "port", "auth_dir", "db_path", "test_mode", "use_tls",
            "metrics_days", "cleanup_interval", "log_level", "tls_cert_file", "tls_key_file", "storage", "postgres_url", "postgres_user", "postgres_password_file",
            "thresholds", "command_redeliver_after", "prometheus",
            "write_queue_capacity", "series_cache_size", "sqlite_cache_mib", "sqlite_mmap_mib");

    private ConfigLoader() {
    }

    /** Thrown with all errors of a file, formatted for the operator. */
    static final class ConfigException extends Exception {
        ConfigException(String message) {
            super(message);
        }
    }

    static ServerConfig load(Path file, ServerConfig base) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(file + " could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return base;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + " has the following errors:\n  * the file must be a mapping of keys to values");
        }
        List<String> errors = new ArrayList<>();
        Values v = new Values(base);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode n = e.getValue();
            switch (key) {
                case "host" -> v.host = text(n, key, errors, v.host);
                case "port" -> v.port = integer(n, key, errors, v.port);
                case "auth_dir" -> v.authDir = Path.of(text(n, key, errors, v.authDir.toString()));
                case "db_path" -> v.dbPath = Path.of(text(n, key, errors, v.dbPath.toString()));
                case "test_mode" -> v.testMode = bool(n, key, errors, v.testMode);
                case "use_tls" -> v.useTls = bool(n, key, errors, v.useTls);
                case "metrics_days" -> v.metricsDays = integer(n, key, errors, v.metricsDays);
                case "cleanup_interval" -> v.cleanupInterval = integer(n, key, errors, v.cleanupInterval);
                case "log_level" -> v.logLevel = text(n, key, errors, v.logLevel);
                case "tls_cert_file" -> v.tlsCert = Path.of(text(n, key, errors, "-"));
                case "tls_key_file" -> v.tlsKey = Path.of(text(n, key, errors, "-"));
                case "storage" -> {
                    v.storage = text(n, key, errors, "sqlite");
                    if (!v.storage.equals("sqlite") && !v.storage.equals("postgres")) {
                        errors.add("storage was '" + v.storage + "' but it must be sqlite or postgres");
                    }
                }
                case "postgres_url" -> v.pgUrl = text(n, key, errors, null);
                case "postgres_user" -> v.pgUser = text(n, key, errors, null);
                case "postgres_password_file" -> v.pgPassword = Path.of(text(n, key, errors, "-"));
                case "thresholds" -> v.thresholds = thresholds(n, errors);
                case "command_redeliver_after" -> v.redeliverAfter = integer(n, key, errors, v.redeliverAfter);
                case "prometheus" -> v.prometheus = PrometheusSettings.read(n, errors);
                case "write_queue_capacity" -> v.writeQueueCapacity = integer(n, key, errors, v.writeQueueCapacity);
                case "series_cache_size" -> {
                    v.seriesCacheSize = integer(n, key, errors, (int) v.seriesCacheSize);
                    v.seriesCacheSet = true;
                }
                case "sqlite_cache_mib" -> v.sqliteCacheMib = integer(n, key, errors, v.sqliteCacheMib);
                case "sqlite_mmap_mib" -> v.sqliteMmapMib = integer(n, key, errors, v.sqliteMmapMib);
                default -> errors.add(key + ": unknown property." + ConfigErrors.didYouMean(key, KEYS));
            }
        }
        ServerConfig config = null;
        if (errors.isEmpty()) {
            try {
                config = v.build();
            } catch (IllegalArgumentException ex) {
                errors.add(ex.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            ConfigErrors all = new ConfigErrors(file.toString());
            errors.forEach(all::add);
            throw new ConfigException(all.format());
        }
        return config;
    }

    /** Mutable staging of the record's fields while reading the file. */
    static final class Values {
        String host;
        int port;
        Path authDir;
        Path dbPath;
        boolean testMode;
        boolean useTls;
        int metricsDays;
        int cleanupInterval;
        String logLevel;
        Path tlsCert;
        Path tlsKey;
        String storage;
        String pgUrl;
        String pgUser;
        Path pgPassword;
        Map<String, FleetView.Threshold> thresholds;
        int redeliverAfter;
        PrometheusSettings prometheus;
        int writeQueueCapacity;
        long seriesCacheSize;
        boolean seriesCacheSet;
        int sqliteCacheMib;
        int sqliteMmapMib;

        Values(ServerConfig c) {
            writeQueueCapacity = c.storageTuning().writeQueueCapacity();
            seriesCacheSize = c.storageTuning().seriesCacheSize();
            sqliteCacheMib = c.storageTuning().sqliteCacheMib();
            sqliteMmapMib = c.storageTuning().sqliteMmapMib();
            host = c.host();
            port = c.port();
            authDir = c.authDir();
            dbPath = c.dbPath();
            testMode = c.testMode();
            useTls = c.useTls();
            metricsDays = c.metricsDays();
            cleanupInterval = c.cleanupIntervalSeconds();
            logLevel = c.logLevel();
            tlsCert = c.tlsCertFile();
            tlsKey = c.tlsKeyFile();
            thresholds = c.thresholds();
            redeliverAfter = c.commandRedeliverAfterSeconds();
            storage = c.postgres() == null ? "sqlite" : "postgres";
            prometheus = c.prometheus();
            if (c.postgres() != null) {
                pgUrl = c.postgres().jdbcUrl();
                pgUser = c.postgres().user();
                pgPassword = c.postgres().passwordFile();
            }
        }

        ServerConfig build() {
            ServerConfig.Postgres pg = null;
            if (storage.equals("postgres")) {
                if (pgUrl == null || pgUser == null) {
                    throw new IllegalArgumentException("storage: postgres needs postgres_url and postgres_user (and usually postgres_password_file)");
                }
                pg = new ServerConfig.Postgres(pgUrl, pgUser, pgPassword);
                if (!seriesCacheSet && seriesCacheSize == ServerConfig.StorageTuning.defaults().seriesCacheSize()) {
                    // SQLite's compact cache default would be a million Caffeine entries in the PostgreSQL store
                    seriesCacheSize = ServerConfig.StorageTuning.POSTGRES_SERIES_CACHE_SIZE;
                }
            }
            return new ServerConfig(host, port, authDir, dbPath, testMode, useTls, metricsDays, cleanupInterval, logLevel,
                    tlsCert, tlsKey, pg, thresholds, redeliverAfter, prometheus,
                    new ServerConfig.StorageTuning(writeQueueCapacity, seriesCacheSize, sqliteCacheMib, sqliteMmapMib));
        }
    }

    /**
     * The {@code thresholds:} section: a mapping of dashboard field to {@code {warn: N, crit: N}}; a level left out
     * keeps its default, and crit must be at least warn.
     */
    private static Map<String, FleetView.Threshold> thresholds(JsonNode n, List<String> errors) {
        Map<String, FleetView.Threshold> defaults = FleetView.defaultThresholds();
        Map<String, FleetView.Threshold> out = new LinkedHashMap<>();
        if (!n.isObject()) {
            errors.add("thresholds must be a mapping of dashboard field to {warn: N, crit: N}; fields: " + defaults.keySet());
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            String where = "thresholds." + field;
            if (!defaults.containsKey(field)) {
                errors.add(where + ": unknown dashboard field." + ConfigErrors.didYouMean(field, defaults.keySet()));
                continue;
            }
            JsonNode t = e.getValue();
            if (!t.isObject()) {
                errors.add(where + " was '" + t + "' but it must be a mapping {warn: N, crit: N}");
                continue;
            }
            double warn = defaults.get(field).warn();
            double crit = defaults.get(field).crit();
            boolean ok = true;
            for (Iterator<Map.Entry<String, JsonNode>> levels = t.fields(); levels.hasNext(); ) {
                Map.Entry<String, JsonNode> l = levels.next();
                JsonNode v = l.getValue();
                if (!l.getKey().equals("warn") && !l.getKey().equals("crit")) {
                    errors.add(where + "." + l.getKey() + ": unknown property; a threshold has warn and crit");
                    ok = false;
                } else if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    errors.add(where + "." + l.getKey() + " was '" + v + "' but it must be a number");
                    ok = false;
                } else if (l.getKey().equals("warn")) {
                    warn = v.asDouble();
                } else {
                    crit = v.asDouble();
                }
            }
            if (!ok) {
                continue;
            }
            try {
                out.put(field, new FleetView.Threshold(warn, crit));
            } catch (IllegalArgumentException ex) {
                errors.add(where + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private static String text(JsonNode n, String key, List<String> errors, String fallback) {
        if (!n.isTextual() || n.asText().isBlank()) {
            errors.add(key + " was '" + n + "' but it must be a non-empty string");
            return fallback;
        }
        return n.asText();
    }

    private static int integer(JsonNode n, String key, List<String> errors, int fallback) {
        if (!n.isInt()) {
            errors.add(key + " was '" + n + "' but it must be an integer");
            return fallback;
        }
        return n.asInt();
    }

    private static boolean bool(JsonNode n, String key, List<String> errors, boolean fallback) {
        if (!n.isBoolean()) {
            errors.add(key + " was '" + n + "' but it must be true or false");
            return fallback;
        }
        return n.asBoolean();
    }
}
