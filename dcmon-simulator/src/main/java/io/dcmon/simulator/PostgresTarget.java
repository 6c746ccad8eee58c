package io.dcmon.simulator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The PostgreSQL database a simulated run stores into ({@code --storage postgres}): by default a fresh database
 * created for the run on the given server ({@code CREATE DATABASE dcmon_sim_...}) and dropped after it, so runs
 * never see each other's series. Measures what the run cost the database: its size and the CPU time of the
 * backend processes serving it (read from {@code /proc}, so only for a PostgreSQL on this machine).
 */
public final class PostgresTarget implements AutoCloseable {

    private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String adminUrl;
    private final String user;
    private final Path passwordFile;
    private final String database;
    private final boolean dropAtEnd;
    private final Connection conn;

    private PostgresTarget(String adminUrl, String user, Path passwordFile, String database, boolean dropAtEnd,
                           Connection conn) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.passwordFile = passwordFile;
        this.database = database;
        this.dropAtEnd = dropAtEnd;
        this.conn = conn;
    }

    /**
     * Connects and, when {@code fresh}, creates a new empty database for this run.
     *
     * @param jdbcUrl      {@code jdbc:postgresql://127.0.0.1:5432/postgres}; with {@code fresh} only its host and
     *                     port matter, otherwise the server stores into this database's {@code dcmon} schema
     * @param user         role (needs CREATEDB when {@code fresh})
     * @param passwordFile file whose first line is the password, or null
     * @param fresh        create a database for the run and drop it in {@link #close()} unless {@code keep}
     * @param keep         keep the fresh database after the run
     */
    public static PostgresTarget open(String jdbcUrl, String user, Path passwordFile, boolean fresh, boolean keep) throws IOException {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("--postgres-url was '" + jdbcUrl + "' but it must be jdbc:postgresql://127.0.0.1:PORT/DATABASE");
        }
        String host = URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"[::1]".equals(host)) {
            throw new IllegalArgumentException("--postgres-url host was '" + host + "' but the simulator only talks to 127.0.0.1 / ::1");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("--storage postgres needs --postgres-user");
        }
        String password = passwordFile == null ? null : firstLine(passwordFile);
        Connection c;
        try {
            c = DriverManager.getConnection(jdbcUrl, props(user, password));
        } catch (SQLException e) {
            throw new IOException("could not connect to " + jdbcUrl + " as " + user + ": " + e.getMessage()
                    + "; check that PostgreSQL runs there and the credentials are right", e);
        }
        String database = null;
        try {
            if (fresh) {
                database = String.format(Locale.ROOT, "dcmon_sim_%d_%d", ProcessHandle.current().pid(), System.currentTimeMillis() / 1000);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + database);
                }
            } else {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_database()")) {
                    r.next();
                    database = r.getString(1);
                }
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IOException("could not " + (fresh ? "create a database for the run" : "read the database name") + " on " + jdbcUrl
                    + ": " + e.getMessage() + (fresh ? "; the role needs CREATEDB, or pass --postgres-reuse-database to store into the"
                    + " URL's own database (schema dcmon)" : ""), e);
        }
        if (!DB_NAME.matcher(database).matches()) {
            closeQuietly(c);
            throw new IllegalArgumentException("database name '" + database + "' is not a plain lower-case identifier");
        }
        return new PostgresTarget(jdbcUrl, user, passwordFile, database, fresh && !keep, c);
    }

    /** The JDBC URL the server stores into. */
    public String serverUrl() {
        return urlFor(adminUrl, database);
    }

    /** {@code jdbcUrl} with its database replaced by {@code database}, its parameters kept. */
    static String urlFor(String jdbcUrl, String database) {
        String base = jdbcUrl;
        int q = base.indexOf('?');
        String query = q < 0 ? "" : base.substring(q);
        base = q < 0 ? base : base.substring(0, q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + query;
    }

    /** The role the server logs in as. */
    public String user() {
        return user;
    }

    /** The password file the server reads, or null. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** The database's name. */
    public String database() {
        return database;
    }

    /** The server's configuration lines for this database (YAML, values quoted). */
    public String serverConfigYaml() {
        StringBuilder b = new StringBuilder();
        b.append("storage: postgres\n");
        b.append("postgres_url: '").append(serverUrl().replace("'", "''")).append("'\n");
        b.append("postgres_user: '").append(user.replace("'", "''")).append("'\n");
        if (passwordFile != null) {
            b.append("postgres_password_file: '").append(passwordFile.toAbsolutePath().toString().replace("'", "''")).append("'\n");
        }
        return b.toString();
    }

    /** {@code pg_database_size} of the run's database (tables, indexes, TOAST; not the server's WAL). */
    public synchronized OptionalLong databaseBytes() {
        try (PreparedStatement s = conn.prepareStatement("SELECT pg_database_size(?)")) {
            s.setString(1, database);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    /** Process ids of the backends connected to the run's database now (the server's pool). */
    synchronized List<Long> backendPids() {
        List<Long> pids = new ArrayList<>();
        try (PreparedStatement s = conn.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, database);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    pids.add(r.getLong(1));
                }
            }
        } catch (SQLException e) {
            return List.of();
        }
        return pids;
    }

    /** CPU time of every backend serving the run's database, by process id (empty where /proc cannot be read). */
    public Map<Long, Long> backendCpuNanos() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long pid : backendPids()) {
            ProcFs.cpuNanos(pid).ifPresent(n -> cpu.put(pid, n));
        }
        return cpu;
    }

    /**
     * CPU the backends used between two {@link #backendCpuNanos()} readings: a backend only in the second reading
     * started in between and counts whole.
     */
    public static long cpuBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** Drops the fresh database (after the server has disconnected) unless it is kept; closes the connection. */
    @Override
    public void close() {
        try {
            if (dropAtEnd) {
                try (Statement s = conn.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.err.println("could not drop the run's database " + database + ": " + e.getMessage()
                            + "; drop it by hand: DROP DATABASE " + database);
                }
            } else {
                System.out.println("PostgreSQL database kept: " + serverUrl());
            }
        } finally {
            closeQuietly(conn);
        }
    }

    private static Properties props(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static String firstLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("password file " + file + " is empty; put the role's password on its first line");
        }
        return lines.get(0);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing after a failure: the first error is the one reported
        }
    }
}
