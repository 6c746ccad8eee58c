package io.dcmon.storage;

import io.dcmon.core.port.Aggregation;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dcmon.core.model.Client;
import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.port.StoreMonitor;
import io.dcmon.core.port.StoreStats;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * dcmon's embedded storage: one SQLite file (WAL) holding clients, series, samples and commands.
 * It implements the core ports {@link ClientStore}, {@link SampleStore} and {@link CommandStore}; one instance
 * serves a whole server and is thread-safe.
 *
 * <pre>{@code
 * try (SqliteStorage storage = SqliteStorage.open(Path.of("dcmon.db"))) {
 *     storage.append(clientId, samples);
 *     List<SeriesData> data = storage.query(SampleQuery.of(clientId, "node_load1", from, to));
 * }
 * }</pre>
 *
 * <p>Writes go through one writer thread that commits whatever is queued in one transaction (group
 * commit) and returns to each caller after the commit; reads use a small pool of read-only connections,
 * which WAL lets run beside the writer. The schema is migrated with Flyway when the store opens.
 */
public final class SqliteStorage implements ClientStore, SampleStore, CommandStore, StoreMonitor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

    static {
        // jOOQ prints a banner and a "tip of the day" on first use unless told not to
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private final StorageConfig config;
    private final String name;
    private final HikariDataSource readers;
    private final DSLContext read;
    private final WriteQueue writer;
    private final SeriesIds seriesIds;
    private final SampleTables samples;
    private final Chunks chunks;
    private final ScheduledExecutorService maintenance;
    private volatile boolean maintenanceFailing;
    private final IngestRate ingested = new IngestRate();
    private final LatestIndex latestIndex = new LatestIndex();
    private final java.util.concurrent.atomic.LongAdder retentionDeleted = new java.util.concurrent.atomic.LongAdder();
    private volatile Census census;
    // the oldest timestamp appended since the last census (an approximation: a replayed sample counts too)
    private final java.util.concurrent.atomic.AtomicLong oldestAppended = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

    /** The expensive part of {@link #stats()}, counted at most every {@link #CENSUS_TTL_NANOS}. */
    private record Census(long atNanos, long samples, long ingestedThen, long deletedThen, Instant oldest) {
    }

    /** How long a full count of samples and the oldest timestamp are reused (counters cover the time between). */
    static final long CENSUS_TTL_NANOS = 10L * 60 * 1_000_000_000L;

    private SqliteStorage(StorageConfig config, String name, HikariDataSource readers, WriteQueue writer, SeriesIds ids,
                          Chunks chunks) {
        this.config = config;
        this.name = name;
        this.readers = readers;
        this.read = DSL.using(readers, SQLDialect.SQLITE, settings());
        this.writer = writer;
        this.seriesIds = ids;
        this.chunks = chunks;
        this.samples = new SampleTables(ids, chunks, latestIndex);
        this.maintenance = config.maintenanceInterval().isZero() ? null : startMaintenance();
    }

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
            compact();
            if (!config.retention().isZero()) {
                enforceRetention(config.retention());
            }
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

    /** Opens (creating and migrating when needed) the database of {@code config}. */
    public static SqliteStorage open(StorageConfig config) {
        Objects.requireNonNull(config, "config");
        Path file = config.dbFile().toAbsolutePath();
        String name = "storage[" + file.getFileName() + "]";
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("cannot create the folder of the database " + file + ": " + e.getMessage()
                    + "; check that the path is writable", e);
        }
        String url = "jdbc:sqlite:" + file;
        SQLiteDataSource writerSource = dataSource(url, config, false);
        Connection writerConnection = null;
        HikariDataSource readers = null;
        try {
            writerConnection = writerSource.getConnection();
            prepareNewFile(writerConnection);
            Flyway.configure().dataSource(writerSource).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
            readers = readerPool(name, dataSource(url, config, true), config.poolSize());
            SeriesIds ids = new SeriesIds(config.seriesCacheSize());
            Chunks chunks = Chunks.load(writerConnection);
            WriteQueue writer = new WriteQueue(name, writerConnection,
                    DSL.using(writerConnection, SQLDialect.SQLITE, settings()), config.maxWriteGroup(),
                    config.writeQueueCapacity());
            LOG.info("{}: opened {} (WAL, {} readers)", name, file, config.poolSize());
            return new SqliteStorage(config, name, readers, writer, ids, chunks);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writerConnection);
            if (readers != null) {
                readers.close();
            }
            throw new StorageException("cannot open the database " + file + ": " + e.getMessage()
                    + "; check that it is a dcmon SQLite file and that no other program holds it", e);
        }
    }

    /** Opens {@code dbFile} with default settings. */
    public static SqliteStorage open(Path dbFile) {
        return open(StorageConfig.of(dbFile));
    }

    private static SQLiteDataSource dataSource(String url, StorageConfig config, boolean readOnly) {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
        c.enforceForeignKeys(true);
        // mapped pages count in the process RSS once per connection (5 mappings of one file), so the map is
        // off by default: reads copy through each connection's page cache instead
        c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(config.mmapBytes()));
        if (readOnly) {
            c.setCacheSize((int) -config.readerCacheKib());
            c.setReadOnly(true);
        } else {
            // samples are clustered by series, so one batch dirties a leaf page per series: keep them cached
            c.setCacheSize((int) -config.writerCacheKib());
            // fewer, larger checkpoints: each one syncs the database file, and a page written by many commits
            // in between is copied back once
            c.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(config.walAutocheckpointPages()));
            // take the write lock at BEGIN: a deferred transaction that reads first can fail with
            // SQLITE_BUSY on upgrade, which busy_timeout does not cover
            c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        SQLiteDataSource ds = new SQLiteDataSource(c);
        ds.setUrl(url);
        return ds;
    }

    /** Incremental auto-vacuum (so retention can give pages back) can only be switched on before the first table exists. */
    private static void prepareNewFile(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            boolean empty;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                empty = rs.next() && rs.getInt(1) == 0;
            }
            if (empty) {
                st.execute("PRAGMA auto_vacuum = INCREMENTAL");
                // the WAL header is already written at this point, so the mode only sticks after a VACUUM
                st.execute("VACUUM");
            }
        }
    }

    private static HikariDataSource readerPool(String name, SQLiteDataSource source, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(source);
        hc.setPoolName("dcmon-" + name);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setReadOnly(true); // must match the driver flag, or Hikari tries to change it and sqlite-jdbc refuses
        return new HikariDataSource(hc);
    }

    private static Settings settings() {
        return new Settings().withExecuteLogging(false).withRenderSchema(false);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a connection failed: {}", e.toString());
            }
        }
    }

    /** The configuration this store was opened with. */
    public StorageConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- samples

    /**
     * {@inheritDoc}
     *
     * <p>A Long value goes to the integer table and a Double value to the real table; NaN and ±Infinity
     * are kept. Timestamps are stored as epoch milliseconds.
     *
     * @throws IllegalArgumentException when the client is not registered (nothing of the batch is stored)
     * @throws io.dcmon.core.service.OverloadedException when the write queue already holds
     *         {@link StorageConfig#writeQueueCapacity()} appends (nothing of the batch is stored)
     */
    @Override
    public int append(long clientId, List<Sample> batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return 0;
        }
        List<Sample> copy = List.copyOf(batch);
        int added = writer.submitBounded(tx -> samples.insert(tx, clientId, copy));
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
    }

    /**
     * {@inheritDoc}
     *
     * <p>Exact labels match per label (a label the series lacks does not match); label matchers follow
     * Prometheus ({@link LabelMatcher}), checked in Java after an SQL prefilter.
     * Series come ordered by client id, then by canonical labels.
     */
    @Override
    public List<SeriesData> query(SampleQuery query) {
        Objects.requireNonNull(query, "query");
        return withReader("query " + query.metric(), c -> SampleTables.query(c, DSL.using(c, SQLDialect.SQLITE, settings()), chunks, query));
    }

    /**
     * Downsampled range: the matching series with one point per {@code stepMs} bucket, computed in the
     * database. Buckets start at {@code query.fromMs()}; a point's timestamp is its bucket's start; empty
     * buckets are absent; {@code query.limit()} caps buckets per series (newest kept). Pick the step as
     * {@code (to - from) / 1000} for a ~1000-point chart.
     *
     * @throws IllegalArgumentException when {@code stepMs < 1}
     */
    @Override
    public List<SeriesData> query(SampleQuery query, long stepMs, Aggregation aggregation) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(aggregation, "aggregation");
        return withReader("downsampled query " + query.metric(),
                c -> SeriesQueries.downsample(c, DSL.using(c, SQLDialect.SQLITE, settings()), chunks, query, stepMs, aggregation));
    }

    /**
     * Per-second rate of a counter per {@code stepMs} bucket: the increase between consecutive samples
     * summed per bucket (a drop is a counter reset, so the new value counts as the increase), divided by
     * the step in seconds. Points are Doubles at bucket starts; a sample up to one step before
     * {@code fromMs} serves as the first one's predecessor.
     */
    @Override
    public List<SeriesData> rate(SampleQuery query, long stepMs) {
        Objects.requireNonNull(query, "query");
        return withReader("rate " + query.metric(),
                c -> SeriesQueries.rate(c, DSL.using(c, SQLDialect.SQLITE, settings()), chunks, query, stepMs));
    }

    /**
     * The newest point of every matching series in one statement (the fleet table): of one client or all,
     * of one metric or all, with exact label matches. Each SeriesData holds exactly one point.
     */
    @Override
    public List<SeriesData> latest(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(metric, "metric");
        return withReader("latest", c -> SeriesQueries.latest(DSL.using(c, SQLDialect.SQLITE, settings()), c, chunks, clientId, metric,
                labels == null ? Map.of() : labels));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A metric's first request reads it in one statement over one snapshot (per series an index seek for the
     * newest row of each sample table; chunks only for series whose newest row is older than the compaction
     * watermark); from then on its newest points are kept in memory and updated by the writer after each commit,
     * so later requests read no database at all. Only requested metrics are held.
     */
    @Override
    public List<SeriesData> latestOfMetrics(java.util.Collection<String> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        List<String> names = List.copyOf(metrics);
        try {
            return latestIndex.of(names, missing -> withReader("latest of " + missing.size() + " metrics",
                    c -> LatestValues.rowsOf(c, chunks, missing)));
        } catch (SQLException e) {
            throw new StorageException(name + ": latest of " + names + " failed: " + e.getMessage(), e);
        }
    }

    /** The series matching the filters (for pickers), by client, metric, labels. */
    public List<StoredSeries> series(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(metric, "metric");
        return SeriesQueries.series(read, clientId, metric, labels == null ? Map.of() : labels);
    }

    @Override
    public List<ClientSeries> findSeries(OptionalLong clientId, Optional<String> metric, List<LabelMatcher> matchers) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(metric, "metric");
        return SeriesQueries.findSeries(read, clientId, metric, matchers == null ? List.of() : matchers);
    }

    /** Metric names with at least one series, sorted; of one client or all. */
    @Override
    public List<String> metrics(OptionalLong clientId) {
        Objects.requireNonNull(clientId, "clientId");
        return SeriesQueries.metrics(read, clientId);
    }

    /** The distinct values of one label of a metric, sorted; of one client or all. */
    @Override
    public List<String> labelValues(String metric, String labelName, OptionalLong clientId) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(labelName, "labelName");
        Objects.requireNonNull(clientId, "clientId");
        return SeriesQueries.labelValues(read, metric, labelName, clientId);
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
        return writer.submit(tx -> ClientTable.upsert(tx.dsl(), hostname, machineId, publicKeyPem, keyFingerprint,
                hardware, tokenHash, now));
    }

    @Override
    public Optional<Client> findByTokenHash(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return ClientTable.findByTokenHash(read, tokenHash);
    }

    /** {@inheritDoc} Revoked clients are not found. */
    @Override
    public Optional<Client> find(long id) {
        return ClientTable.find(read, id);
    }

    /** {@inheritDoc} Revoked clients are not listed. */
    @Override
    public List<Client> list() {
        return ClientTable.list(read);
    }

    /** {@inheritDoc} A touch older than the stored last-seen time is ignored. */
    @Override
    public void touch(long id, Instant when) {
        Objects.requireNonNull(when, "when");
        writer.submit(tx -> ClientTable.touch(tx.dsl(), id, when));
    }

    /** {@inheritDoc} Revocation is stamped with the configured clock; registering the same key again re-enables it. */
    @Override
    public boolean revoke(long id) {
        Instant now = config.clock().instant();
        return writer.submit(tx -> ClientTable.revoke(tx.dsl(), id, now));
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
        return writer.submit(tx -> CommandTable.enqueue(tx.dsl(), clientId, type, params, createdBy, now, expiresAt));
    }

    /** {@inheritDoc} A command expires once {@code now} is after its {@code expiresAt}. */
    @Override
    public List<Command> takeQueued(long clientId, Instant now) {
        Objects.requireNonNull(now, "now");
        return writer.submit(tx -> CommandTable.takeQueued(tx.dsl(), clientId, now));
    }

    @Override
    public List<Command> expire(Optional<Long> clientId, Instant now) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(now, "now");
        return writer.submit(tx -> CommandTable.expire(tx.dsl(), clientId, now));
    }

    @Override
    public List<Command> requeue(long clientId, Instant deliveredBefore) {
        Objects.requireNonNull(deliveredBefore, "deliveredBefore");
        return writer.submit(tx -> CommandTable.requeue(tx.dsl(), clientId, deliveredBefore));
    }

    @Override
    public boolean finish(long commandId, long clientId, CommandOutcome outcome, Instant now) {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(now, "now");
        return writer.submit(tx -> CommandTable.finish(tx.dsl(), commandId, clientId, outcome, now));
    }

    @Override
    public Optional<Command> findCommand(long commandId) {
        return CommandTable.find(read, commandId);
    }

    @Override
    public List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(status, "status");
        return CommandTable.list(read, clientId, status, limit);
    }

    // ---------------------------------------------------------------- maintenance

    /** Bytes the database occupies (page count times page size), WAL not included. */
    public long databaseSizeBytes() {
        return withReader("size", c -> {
            try (Statement st = c.createStatement();
                 ResultSet pc = st.executeQuery("PRAGMA page_count")) {
                pc.next();
                long pages = pc.getLong(1);
                try (ResultSet ps = st.executeQuery("PRAGMA page_size")) {
                    ps.next();
                    return pages * ps.getLong(1);
                }
            }
        });
    }

    /** Writes waiting for the writer thread right now (appends, commands, touches, maintenance). */
    public int writeQueueDepth() {
        return writer.depth();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Series and size are read on every call (an index count and two pragmas). The sample count and the oldest
     * sample come from a census (a count over the sample tables and chunks, a per-series seek for the oldest)
     * taken at most every 10 minutes on a reader; in between the count follows inserts and retention deletes.
     */
    @Override
    public StoreStats stats() {
        Census c = census();
        long samplesNow = Math.max(0, c.samples() + (ingested.total() - c.ingestedThen()) - (retentionDeleted.sum() - c.deletedThen()));
        long series = withReader("series count", r -> {
            try (Statement st = r.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM series")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        Path wal = Path.of(config.dbFile().toAbsolutePath() + "-wal");
        long walBytes = 0;
        try {
            walBytes = Files.exists(wal) ? Files.size(wal) : 0;
        } catch (IOException e) {
            LOG.debug("{}: cannot read the WAL size: {}", name, e.toString());
        }
        long appended = oldestAppended.get();
        Instant oldest = c.oldest();
        if (appended != Long.MAX_VALUE && (oldest == null || appended < oldest.toEpochMilli())) {
            oldest = Instant.ofEpochMilli(appended);
        }
        return new StoreStats(series, samplesNow, databaseSizeBytes() + walBytes, oldest, ingested.perSecond(),
                writer.depth(), writer.capacity());
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
        c = withReader("sample census", r -> {
            long samples = 0;
            try (Statement st = r.createStatement()) {
                for (String q : List.of("SELECT count(*) FROM samples_int", "SELECT count(*) FROM samples_real",
                        "SELECT coalesce(sum(n), 0) FROM chunks")) {
                    try (ResultSet rs = st.executeQuery(q)) {
                        rs.next();
                        samples += rs.getLong(1);
                    }
                }
            }
            return new Census(now, samples, ingestedThen, deletedThen, Oldest.read(r));
        });
        census = c;
        return c;
    }

    /**
     * Deletes samples older than {@code keep} before the configured clock's now, in small transactions,
     * removes series left without samples and gives the freed pages back so the file shrinks.
     * Ingest continues meanwhile. Call it periodically (e.g. hourly) with {@code metrics_days}.
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
        RetentionResult r = Maintenance.deleteOlderThan(this, writer, seriesIds, cutoff.toEpochMilli());
        retentionDeleted.add(r.samplesDeleted());
        if (r.seriesDeleted() > 0) {
            latestIndex.clear(); // removed series must not linger in the fleet table
        }
        if (r.samplesDeleted() > 0) {
            census = null; // the oldest sample moved: count again on the next stats()
        }
        return r;
    }

    /**
     * Writes a consistent copy of the live database to {@code target} ({@code VACUUM INTO}, on a reader
     * connection, so ingest continues). The copy is compact and opens with {@link #open(Path)}.
     *
     * @throws IllegalArgumentException when {@code target} already exists
     */
    public void backup(Path target) {
        Objects.requireNonNull(target, "target");
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs)) {
            throw new IllegalArgumentException("backup target " + abs + " already exists; choose a new file name");
        }
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("cannot create the folder for backup " + abs + ": " + e.getMessage(), e);
        }
        // VACUUM cannot run inside a transaction; it reads one consistent snapshot by itself
        withReader("backup to " + abs, false, c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, abs.toString());
                ps.execute();
            }
            return null;
        });
        LOG.info("{}: backup written to {}", name, abs);
    }

    /**
     * Compresses samples older than {@code compactAfter} (by the configured clock) into per-series chunks,
     * a few series per transaction so ingest keeps flowing. Runs in the background every
     * {@code maintenanceInterval}; call it directly when that is ZERO. Queries return the same data before
     * and after. Returns how many samples were moved into chunks.
     */
    public long compact() {
        long moved = chunks.compact(this, writer, config.clock().millis() - config.compactAfter().toMillis());
        if (moved > 0) {
            Maintenance.vacuum(writer); // the moved rows' pages go back to the file system
        }
        return moved;
    }

    /** The write path (tests hold it to observe grouping). */
    WriteQueue writer() {
        return writer;
    }

    /** Work on a pooled read-only connection. */
    @FunctionalInterface
    interface ReadWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled read-only connection inside one read transaction: rows and chunks are
     * read from the same snapshot, so a compaction committing in between can neither hide nor double a point.
     */
    <T> T withReader(String what, ReadWork<T> work) {
        return withReader(what, true, work);
    }

    private <T> T withReader(String what, boolean snapshot, ReadWork<T> work) {
        try (Connection c = readers.getConnection()) {
            if (!snapshot) {
                return work.run(c);
            }
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException(name + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes what is queued, checkpoints the WAL into the file and closes every connection. */
    @Override
    public void close() {
        if (readers.isClosed()) {
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
        try {
            writer.submitAutoCommit(tx -> {
                try (Statement st = tx.connection().createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: final checkpoint failed: {}", name, e.toString());
        }
        writer.close();
        readers.close();
        LOG.info("{}: closed", name);
    }
}
