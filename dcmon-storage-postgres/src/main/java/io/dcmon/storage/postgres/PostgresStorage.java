package io.dcmon.storage.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcmon.core.model.Client;
import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.port.StoreMonitor;
import io.dcmon.core.port.StoreStats;
import io.dcmon.storage.IngestRate;
import io.dcmon.storage.RetentionResult;
import io.dcmon.storage.StorageException;
import io.dcmon.storage.StoredSeries;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * dcmon's storage on PostgreSQL, for fleets and retention periods one SQLite file no longer serves well.
 * It implements the same core ports as {@code SqliteStorage} with the same semantics ({@link ClientStore},
 * {@link SampleStore} and {@link CommandStore}); one instance serves a whole
 * server and is thread-safe.
 *
 * <pre>{@code
 * PostgresConfig config = PostgresConfig.of("jdbc:postgresql://db:5432/dcmon", "dcmon", Path.of("/etc/dcmon/pg.password"));
 * try (PostgresStorage storage = PostgresStorage.open(config)) {
 *     storage.append(clientId, samples);
 * }
 * }</pre>
 *
 * <p>Unlike SQLite, PostgreSQL runs writers in parallel, so every call is its own transaction on a pooled
 * connection (no writer thread). Samples live in one table partitioned by time (7-day partitions, created on
 * demand, dropped whole by retention) or, when TimescaleDB is preloaded, in a compressed hypertable. The
 * schema is migrated with Flyway ({@code db/postgresql}; not under SQLite's recursively scanned {@code db/migration}) when the store opens.
 */
public final class PostgresStorage implements ClientStore, SampleStore, CommandStore, StoreMonitor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);

    static {
        // jOOQ prints a banner and a "tip of the day" on first use unless told not to
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private final PostgresConfig config;
    private final String name;
    private final HikariDataSource pool;
    private final DSLContext dsl;
    private final Partitions partitions;
    private final Cache<SampleRows.SeriesRef, Long> seriesIds;
    private final ScheduledExecutorService maintenance;
    private volatile boolean maintenanceFailing;
    private final IngestRate ingested = new IngestRate();
    private final java.util.concurrent.atomic.LongAdder retentionDeleted = new java.util.concurrent.atomic.LongAdder();
    // the oldest timestamp appended since the last census (approximate: a replayed sample counts too)
    private final java.util.concurrent.atomic.AtomicLong oldestAppended = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    private volatile Census census;

    /** The full count behind {@link #stats()}, taken at most every {@link #CENSUS_TTL_NANOS}. */
    private record Census(long atNanos, long samples, long ingestedThen, long deletedThen, Instant oldest) {
    }

    private static final long CENSUS_TTL_NANOS = 10L * 60 * 1_000_000_000L;

    private PostgresStorage(PostgresConfig config, String name, HikariDataSource pool, Partitions partitions) {
        this.config = config;
        this.name = name;
        this.pool = pool;
        this.dsl = DSL.using(pool, SQLDialect.POSTGRES);
        this.partitions = partitions;
        this.seriesIds = Caffeine.newBuilder().maximumSize(config.seriesCacheSize()).build();
        boolean background = !config.retention().isZero() && !config.maintenanceInterval().isZero();
        this.maintenance = background ? startMaintenance() : null;
    }

    /**
     * Connects, creates the schema when missing and migrates it.
     *
     * @throws StorageException when the password file cannot be read or the server refuses or cannot migrate
     */
    public static PostgresStorage open(PostgresConfig config) {
        Objects.requireNonNull(config, "config");
        String name = "postgres[" + config.schema() + "]";
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("dcmon-" + config.schema());
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        String password = config.passwordFile() == null ? null : readPassword(config.passwordFile());
        hc.setPassword(password);
        // every pooled connection works in dcmon's schema; Hikari restores it when a connection returns
        hc.setSchema(config.schema());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(10_000);
        hc.addDataSourceProperty("ApplicationName", "dcmon");
        HikariDataSource pool = null;
        try {
            Flyway.configure().dataSource(config.jdbcUrl(), config.user(), password)
                    .schemas(config.schema()).defaultSchema(config.schema()).createSchemas(true)
                    .locations("classpath:db/postgresql").failOnMissingLocations(true).load().migrate();
            pool = new HikariDataSource(hc);
            Partitions partitions;
            try (Connection c = pool.getConnection()) {
                partitions = Partitions.load(c);
            }
            LOG.info("{}: opened {} as {} ({} samples, pool {})", name, config.jdbcUrl(), config.user(),
                    partitions.partitioned() ? "time-partitioned" : "hypertable", config.poolSize());
            return new PostgresStorage(config, name, pool, partitions);
        } catch (SQLException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw new StorageException("cannot open PostgreSQL storage at " + config.jdbcUrl() + " (user " + config.user()
                    + ", schema " + config.schema() + "): " + e.getMessage()
                    + "; check that the server runs, the credentials are right and the role may create tables in the schema", e);
        }
    }

    private static String readPassword(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new StorageException("password file " + file.toAbsolutePath() + " is empty; write the database "
                        + "password on its first line");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new StorageException("cannot read the password file " + file.toAbsolutePath() + ": " + e.getMessage()
                    + "; check that it exists and that dcmon may read it", e);
        }
    }

    /** The configuration this store was opened with. */
    public PostgresConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- helpers

    /** Work on one connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction on a pooled connection (reads: one snapshot of all statements). */
    <T> T inTransaction(String what, boolean readOnly, SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(readOnly);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException(name + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    private <T> T jooq(String what, Function<DSLContext, T> work) {
        try {
            return work.apply(dsl);
        } catch (DataAccessException e) {
            throw new StorageException(name + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    private <T> T jooqTransaction(String what, Function<DSLContext, T> work) {
        try {
            return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
        } catch (DataAccessException e) {
            throw new StorageException(name + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- samples

    /**
     * {@inheritDoc}
     *
     * <p>Long values come back as Long and Double values as Double (NaN and ±Infinity kept); timestamps are
     * epoch milliseconds. The batch is one transaction.
     *
     * @throws IllegalArgumentException when the client is not registered (nothing of the batch is stored)
     */
    @Override
    public int append(long clientId, List<Sample> batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return 0;
        }
        List<Sample> copy = List.copyOf(batch);
        Set<Long> needed = new HashSet<>();
        for (Sample s : copy) {
            needed.add(Partitions.of(s.timestampMs()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                try (Connection c = pool.getConnection()) {
                    partitions.ensure(c, needed);
                }
                Map<SampleRows.SeriesRef, Long> created = new HashMap<>();
                int added = inTransaction("append for client " + clientId, false,
                        c -> SampleRows.insert(c, seriesIds, clientId, copy, created));
                seriesIds.putAll(created); // only committed ids enter the cache
                if (added > 0) {
                    ingested.add(added);
                    long min = Long.MAX_VALUE;
                    for (Sample s : copy) {
                        min = Math.min(min, s.timestampMs());
                    }
                    long batchMin = min;
                    oldestAppended.accumulateAndGet(batchMin, Math::min);
                }
                return added;
            } catch (StorageException | SQLException e) {
                String state = sqlState(e);
                // 23503: a cached series was removed by retention meanwhile; 23514: its partition was dropped
                boolean retry = attempt < 3 && ("23503".equals(state) || "23514".equals(state) || "40001".equals(state)
                        || "40P01".equals(state));
                if (!retry) {
                    throw e instanceof StorageException se ? se
                            : new StorageException(name + ": append for client " + clientId + " failed: " + e.getMessage(), e);
                }
                seriesIds.invalidateAll();
                partitions.forget();
            }
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Exact labels match per label (a label the series lacks does not match); label matchers follow
     * Prometheus ({@link LabelMatcher}), checked in Java after an SQL prefilter. Series come
     * ordered by client id, then metric, then canonical labels.
     */
    @Override
    public List<SeriesData> query(SampleQuery query) {
        Objects.requireNonNull(query, "query");
        return inTransaction("query " + query.metric(), true, c -> SampleRows.query(c, DSL.using(c, SQLDialect.POSTGRES), query));
    }

    /**
     * Downsampled range computed in the database: one point per {@code stepMs} bucket from {@code query.fromMs()},
     * stamped at the bucket's start; empty buckets are absent; {@code query.limit()} keeps the newest buckets.
     * MIN, MAX and LAST keep the stored type, AVG is a Double, COUNT a Long; NaN is ignored by MIN/MAX/AVG.
     *
     * @throws IllegalArgumentException when {@code stepMs < 1}
     */
    @Override
    public List<SeriesData> query(SampleQuery query, long stepMs, Aggregation aggregation) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(aggregation, "aggregation");
        requireStep(stepMs);
        return inTransaction("downsampled query " + query.metric(), true,
                c -> SampleRows.downsample(c, DSL.using(c, SQLDialect.POSTGRES), query, stepMs, aggregation));
    }

    /**
     * Per-second rate of a counter per {@code stepMs} bucket: increases between consecutive samples summed per
     * bucket (a drop is a counter reset, so the new value counts as the increase), divided by the step in
     * seconds. A sample up to one step before {@code fromMs} serves as the first one's predecessor.
     *
     * @throws IllegalArgumentException when {@code stepMs < 1}
     */
    @Override
    public List<SeriesData> rate(SampleQuery query, long stepMs) {
        Objects.requireNonNull(query, "query");
        requireStep(stepMs);
        return inTransaction("rate " + query.metric(), true, c -> SampleRows.rate(c, DSL.using(c, SQLDialect.POSTGRES), query, stepMs));
    }

    private static void requireStep(long stepMs) {
        if (stepMs < 1) {
            throw new IllegalArgumentException("step was " + stepMs + " ms but it must be at least 1 ms");
        }
    }

    /**
     * {@inheritDoc} One statement for all matching series, ordered by client, metric, labels.
     */
    @Override
    public List<SeriesData> latest(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(metric, "metric");
        return inTransaction("latest", true, c -> SampleRows.latest(c, clientId, metric, labels == null ? Map.of() : labels));
    }

    /** The series matching the filters (for pickers), by client, metric, labels. */
    public List<StoredSeries> series(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(metric, "metric");
        return jooq("series", d -> SampleRows.findSeries(d, clientId, metric, labels == null ? Map.of() : labels).stream()
                .map(s -> new StoredSeries(s.clientId(), s.key())).toList());
    }

    @Override
    public List<ClientSeries> findSeries(OptionalLong clientId, Optional<String> metric, List<LabelMatcher> matchers) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(metric, "metric");
        return jooq("series", d -> SampleRows.matching(d, clientId, metric, Map.of(), matchers == null ? List.of() : matchers)
                .stream().map(s -> new ClientSeries(s.clientId(), s.key())).toList());
    }

    /** Metric names with at least one series, sorted; of one client or all. */
    @Override
    public List<String> metrics(OptionalLong clientId) {
        Objects.requireNonNull(clientId, "clientId");
        return jooq("metrics", d -> SampleRows.metrics(d, clientId));
    }

    /** The distinct values of one label of a metric, sorted (byte order); of one client or all. */
    @Override
    public List<String> labelValues(String metric, String labelName, OptionalLong clientId) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(labelName, "labelName");
        Objects.requireNonNull(clientId, "clientId");
        return jooq("label values", d -> SampleRows.labelValues(d, metric, labelName, clientId));
    }

    // ---------------------------------------------------------------- clients

    @Override
    public Client upsert(String hostname, String machineId, String publicKeyPem, String keyFingerprint,
                         Map<String, String> hardware, String tokenHash, Instant now) {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
        Objects.requireNonNull(keyFingerprint, "keyFingerprint");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(now, "now");
        return jooqTransaction("register " + hostname,
                tx -> ClientRows.upsert(tx, hostname, machineId, publicKeyPem, keyFingerprint, hardware, tokenHash, now));
    }

    @Override
    public Optional<Client> findByTokenHash(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return jooq("find client by token", d -> ClientRows.findByTokenHash(d, tokenHash));
    }

    /** {@inheritDoc} Revoked clients are not found. */
    @Override
    public Optional<Client> find(long id) {
        return jooq("find client " + id, d -> ClientRows.find(d, id));
    }

    /** {@inheritDoc} Revoked clients are not listed. */
    @Override
    public List<Client> list() {
        return jooq("list clients", ClientRows::list);
    }

    /** {@inheritDoc} A touch older than the stored last-seen time is ignored. */
    @Override
    public void touch(long id, Instant when) {
        Objects.requireNonNull(when, "when");
        jooq("touch client " + id, d -> {
            ClientRows.touch(d, id, when);
            return null;
        });
    }

    /** {@inheritDoc} Revocation is stamped with the configured clock; registering the same key again re-enables it. */
    @Override
    public boolean revoke(long id) {
        Instant now = config.clock().instant();
        return jooqTransaction("revoke client " + id, tx -> ClientRows.revoke(tx, id, now));
    }

    // ---------------------------------------------------------------- commands

    /** This store as the core {@link CommandStore} port (it is {@code this}; kept for callers that wire ports). */
    public CommandStore commands() {
        return this;
    }

    /** This store as the core {@link ClientStore} port. */
    public ClientStore clients() {
        return this;
    }

    /** This store as the core {@link SampleStore} port. */
    public SampleStore samples() {
        return this;
    }

    /** {@inheritDoc} @throws IllegalArgumentException when the client is not registered */
    @Override
    public Command enqueue(long clientId, String type, Map<String, String> params, String createdBy,
                           Instant now, Instant expiresAt) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        return jooqTransaction("queue " + type, tx -> CommandRows.enqueue(tx, clientId, type, params, createdBy, now, expiresAt));
    }

    /** {@inheritDoc} A command expires once {@code now} is after its {@code expiresAt}. */
    @Override
    public List<Command> takeQueued(long clientId, Instant now) {
        Objects.requireNonNull(now, "now");
        return jooqTransaction("take commands of client " + clientId, tx -> CommandRows.takeQueued(tx, clientId, now));
    }

    @Override
    public List<Command> expire(Optional<Long> clientId, Instant now) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(now, "now");
        return jooqTransaction("expire commands", tx -> CommandRows.expire(tx, clientId, now));
    }

    @Override
    public List<Command> requeue(long clientId, Instant deliveredBefore) {
        Objects.requireNonNull(deliveredBefore, "deliveredBefore");
        return jooqTransaction("requeue commands of client " + clientId, tx -> CommandRows.requeue(tx, clientId, deliveredBefore));
    }

    @Override
    public boolean finish(long commandId, long clientId, CommandOutcome outcome, Instant now) {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(now, "now");
        return jooqTransaction("finish command " + commandId, tx -> CommandRows.finish(tx, commandId, clientId, outcome, now));
    }

    @Override
    public Optional<Command> findCommand(long commandId) {
        return jooq("find command " + commandId, d -> CommandRows.find(d, commandId));
    }

    @Override
    public List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(status, "status");
        return jooq("list commands", d -> CommandRows.list(d, clientId, status, limit));
    }

    // ---------------------------------------------------------------- maintenance

    private ScheduledExecutorService startMaintenance() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-maintenance");
            t.setDaemon(true);
            return t;
        });
        long period = config.maintenanceInterval().toMillis();
        s.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
        return s;
    }

    /** One background pass; failures are logged once and again on recovery, never thrown into the scheduler. */
    private void maintain() {
        try {
            enforceRetention(config.retention());
            if (maintenanceFailing) {
                maintenanceFailing = false;
                LOG.info("{}: background maintenance works again", name);
            }
        } catch (RuntimeException e) {
            if (!maintenanceFailing) {
                maintenanceFailing = true;
                LOG.warn("{}: background maintenance failed, will retry every {}: {}", name, config.maintenanceInterval(), e.toString());
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement: a LATERAL index seek for the newest sample of each series of the metrics.
     */
    @Override
    public List<SeriesData> latestOfMetrics(java.util.Collection<String> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        List<String> names = List.copyOf(new java.util.TreeSet<>(metrics));
        return inTransaction("latest of " + names.size() + " metrics", true, c -> SampleRows.latestOfMetrics(c, names));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Series and size are read on every call. The sample count and the oldest sample come from a census (count
     * and min over {@code samples}) taken at most every 10 minutes; in between the count follows inserts and
     * retention deletes. The write queue depth is the callers waiting for a pooled connection; there is no bounded
     * queue (capacity 0), PostgreSQL takes parallel writers.
     */
    @Override
    public StoreStats stats() {
        Census c = census();
        long samplesNow = Math.max(0, c.samples() + (ingested.total() - c.ingestedThen()) - (retentionDeleted.sum() - c.deletedThen()));
        long series = inTransaction("series count", true, k -> {
            try (PreparedStatement ps = k.prepareStatement("SELECT count(*) FROM series"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        long appended = oldestAppended.get();
        Instant oldest = c.oldest();
        if (appended != Long.MAX_VALUE && (oldest == null || appended < oldest.toEpochMilli())) {
            oldest = Instant.ofEpochMilli(appended);
        }
        var bean = pool.getHikariPoolMXBean();
        int waiting = bean == null ? 0 : Math.max(0, bean.getThreadsAwaitingConnection());
        return new StoreStats(series, samplesNow, databaseSizeBytes(), oldest, ingested.perSecond(), waiting, 0);
    }

    private synchronized Census census() {
        Census c = census;
        long now = System.nanoTime();
        if (c != null && now - c.atNanos() < CENSUS_TTL_NANOS) {
            return c;
        }
        long ingestedThen = ingested.total();
        long deletedThen = retentionDeleted.sum();
        oldestAppended.set(Long.MAX_VALUE);
        c = inTransaction("sample census", true, k -> {
            try (PreparedStatement ps = k.prepareStatement("SELECT count(*), min(ts) FROM samples"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                long min = rs.getLong(2);
                Instant oldest = rs.wasNull() ? null : Instant.ofEpochMilli(min);
                return new Census(now, rs.getLong(1), ingestedThen, deletedThen, oldest);
            }
        });
        census = c;
        return c;
    }

    /** Bytes dcmon's tables and their indexes occupy in the schema (all partitions included). */
    public long databaseSizeBytes() {
        return inTransaction("size", true, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(pg_total_relation_size(k.oid)), 0) FROM pg_class k "
                    + "JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = current_schema() AND k.relkind IN ('r', 'm')");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Removes samples older than {@code keep} before the configured clock's now, then series left without
     * samples. Whole 7-day partitions are dropped; only the one straddling the cutoff is deleted row by row.
     * On TimescaleDB only whole chunks are dropped, so up to 7 days more than {@code keep} remain.
     */
    public RetentionResult enforceRetention(Duration keep) {
        Objects.requireNonNull(keep, "keep");
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention was '" + keep + "' but it must be positive");
        }
        return deleteOlderThan(config.clock().instant().minus(keep));
    }

    /** Like {@link #enforceRetention(Duration)} with an explicit cutoff: samples stamped before it go. */
    public RetentionResult deleteOlderThan(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        long cutoffMs = cutoff.toEpochMilli();
        long before = databaseSizeBytes();
        long dropped;
        try (Connection c = pool.getConnection()) {
            dropped = partitions.dropBefore(c, cutoffMs);
        } catch (SQLException e) {
            throw new StorageException(name + ": dropping partitions before " + cutoff + " failed: " + e.getMessage(), e);
        }
        // TimescaleDB: whole chunks only. The chunk straddling the cutoff is usually compressed, and rows of compressed
        // chunks cannot be deleted one by one before TimescaleDB 2.11, so retention keeps up to one chunk (7 days) more
        long deleted = !partitions.partitioned() ? 0 : inTransaction("retention before " + cutoff, false, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM samples WHERE ts < ?")) {
                ps.setLong(1, cutoffMs);
                return (long) ps.executeUpdate();
            }
        });
        long seriesDeleted = inTransaction("removing empty series", false, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM series s WHERE NOT EXISTS (SELECT 1 FROM samples x WHERE x.series_id = s.id)")) {
                return (long) ps.executeUpdate();
            }
        });
        if (seriesDeleted > 0) {
            seriesIds.invalidateAll();
        }
        retentionDeleted.add(dropped + deleted);
        if (dropped + deleted > 0) {
            census = null; // the oldest sample moved: count again on the next stats()
        }
        long after = databaseSizeBytes();
        LOG.info("{}: retention before {} removed {} samples and {} series", name, cutoff, dropped + deleted, seriesDeleted);
        return new RetentionResult(dropped + deleted, seriesDeleted, before, after);
    }

    /** Stops the background maintenance and closes every connection. */
    @Override
    public void close() {
        if (pool.isClosed()) {
            return;
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("{}: background maintenance did not stop within 30 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
        LOG.info("{}: closed", name);
    }
}
