package dev.gatewatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * A PostgreSQL server run from the zonky binaries shipped in the jar, so that a fresh machine needs nothing installed.
 * <p>
 * PostgreSQL refuses to run as root, so when the JVM is root the server processes run as the unprivileged
 * {@code nobody} user (through {@code setpriv}) and the data directory is handed to that user.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** How the embedded server is laid out; see {@link GatewatchConfig.Database.Embedded}. */
    public record Settings(Path dataDirectory, int port, boolean temporary, String database) {
    }

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    private static final int NOBODY = 65534;
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Settings settings;
    private final Path dataDirectory;
    private final Path temporaryRoot;
    private final DataDirectoryLock ownership;
    private final Path binaries;
    private final int port;
    private final boolean dropPrivileges;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(Settings settings, Path dataDirectory, Path temporaryRoot, DataDirectoryLock ownership,
            Path binaries, int port, boolean dropPrivileges) {
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.temporaryRoot = temporaryRoot;
        this.ownership = ownership;
        this.binaries = binaries;
        this.port = port;
        this.dropPrivileges = dropPrivileges;
    }

    /**
     * Makes this process the owner of the data directory, unpacks the binaries if needed, initialises the directory if
     * empty, takes over a server its dead previous owner left running, starts the server and creates the database.
     * The server runs until {@link #close()}; nothing stops it at JVM exit unless the caller arranges it.
     *
     * @throws DataDirectoryLock.InUseException when another live process owns the data directory (it is left alone)
     */
    public static EmbeddedPostgres start(Settings settings) {
        Path temporaryRoot = null;
        DataDirectoryLock ownership = null;
        EmbeddedPostgres pg = null;
        try {
            temporaryRoot = settings.temporary() ? temporaryDirectory() : null;
            Path data = temporaryRoot != null ? temporaryRoot.resolve("data") : settings.dataDirectory().toAbsolutePath();
            ownership = DataDirectoryLock.acquire(data);
            Path binaries = PostgresBinaries.unpack();
            int port = settings.port() > 0 ? settings.port() : freePort();
            pg = new EmbeddedPostgres(settings, data, temporaryRoot, ownership, binaries, port, isRoot());
            pg.startServer();
            return pg;
        } catch (IOException | RuntimeException e) {
            if (pg != null) {
                pg.close();
            } else {
                release(ownership, temporaryRoot);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL server: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + settings.database();
    }

    public String username() {
        return SUPERUSER;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private static Path temporaryDirectory() throws IOException {
        // holds data/ and data.lock; the server user (nobody, when we are root) must be able to enter it
        return Files.createTempDirectory("gatewatch-postgres-data",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    }

    /** The server's log file ({@code server.log} in the data directory). */
    public Path serverLog() {
        return dataDirectory.resolve("server.log");
    }

    /** The postmaster's process id, from the first line of {@code postmaster.pid}; -1 when the server is not running. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Stops and starts the server with the options it was started with, e.g. so that a setting made with {@code alter
     * system} that needs a restart (such as {@code shared_preload_libraries}) takes effect. Connections are lost.
     */
    public void restart() throws IOException {
        run(List.of(bin("pg_ctl"), "-D", dataDir(), "-l", serverLog().toString(), "-m", "fast",
                "-t", Long.toString(START_TIMEOUT_SECONDS), "-w", "restart"), true);
    }

    public String version() {
        try {
            return Files.readString(dataDirectory.resolve("PG_VERSION")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Stops the server, gives up the data directory and, when temporary, deletes it. Only the first call acts. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
                run(List.of(bin("pg_ctl"), "-D", dataDir(), "-m", "fast", "-w", "stop"), false);
                LOG.infof("Embedded PostgreSQL stopped (data in %s)", dataDirectory);
            }
        } catch (IOException e) {
            LOG.warnf("Could not stop the embedded PostgreSQL server: %s", e.getMessage());
        } finally {
            release(ownership, temporaryRoot);
        }
    }

    private static void release(DataDirectoryLock ownership, Path temporaryRoot) {
        try {
            if (ownership != null) {
                ownership.close();
            }
            if (temporaryRoot != null) {
                deleteTree(temporaryRoot);
            }
        } catch (IOException e) {
            LOG.warnf("Could not release the embedded PostgreSQL data directory: %s", e.getMessage());
        }
    }

    private void startServer() throws IOException {
        Path data = dataDirectory;
        Files.createDirectories(data);
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            giveToServerUser(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            LOG.infof("Initialising embedded PostgreSQL data directory %s", data);
            run(List.of(bin("initdb"), "-D", dataDir(), "-U", SUPERUSER, "-A", "trust", "-E", "UTF-8",
                    "--no-locale", "--no-sync"), true);
        } else {
            giveToServerUser(data);
            stopLeftover();
        }
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c max_connections=200 -c shared_buffers=128MB"
                // Checks write all day: fewer checkpoints mean fewer full-page images in the WAL (crash recovery replays
                // at most 15 minutes), and a WAL buffer that holds a few batches.
                + " -c checkpoint_timeout=15min -c max_wal_size=2GB -c wal_buffers=16MB";
        run(List.of(bin("pg_ctl"), "-D", dataDir(), "-o", options, "-l", data.resolve("server.log").toString(),
                "-t", Long.toString(START_TIMEOUT_SECONDS), "-w", "start"), true);
        createDatabase();
    }

    /** We hold the lock, so a server still running here was left by an owner that died (e.g. kill -9): stop it. */
    private void stopLeftover() throws IOException {
        if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            LOG.infof("Taking over the embedded PostgreSQL server its previous owner, now gone, left running in %s", dataDirectory);
            run(List.of(bin("pg_ctl"), "-D", dataDir(), "-m", "fast", "-w", "stop"), false);
        }
    }

    private void createDatabase() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (var connection = new org.postgresql.Driver().connect(url, credentials());
             var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, settings.database());
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("create database \"" + settings.database().replace("\"", "") + "\"");
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IOException("Could not create database " + settings.database() + ": " + e.getMessage(), e);
        }
    }

    private java.util.Properties credentials() {
        var properties = new java.util.Properties();
        properties.setProperty("user", SUPERUSER);
        return properties;
    }

    private String dataDir() {
        return dataDirectory.toString();
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private void run(List<String> command, boolean mustSucceed) throws IOException {
        List<String> full = new ArrayList<>();
        if (dropPrivileges) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(START_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0 && mustSucceed) {
            throw new IOException(Path.of(command.get(0)).getFileName() + " failed (exit " + process.exitValue() + "): "
                    + output.trim() + serverLogTail());
        }
    }

    private String serverLogTail() {
        Path log = dataDirectory.resolve("server.log");
        try {
            List<String> lines = Files.readAllLines(log);
            return "\nserver.log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private void giveToServerUser(Path data) throws IOException {
        if (!dropPrivileges) {
            return;
        }
        UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
        var nobody = users.lookupPrincipalByName(Integer.toString(NOBODY));
        var nogroup = users.lookupPrincipalByGroupName(Integer.toString(NOBODY));
        try (Stream<Path> tree = Files.walk(data)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                if (!Files.getOwner(p).equals(nobody)) {
                    Files.setOwner(p, nobody);
                    Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(nogroup);
                }
            }
        }
        for (Path parent = data.getParent(); parent != null; parent = parent.getParent()) {
            var perms = Files.getPosixFilePermissions(parent);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("The embedded PostgreSQL server runs as 'nobody' because this process is root, and 'nobody' cannot"
                        + " enter " + parent + ". Choose a data directory outside it with gatewatch.database.embedded.data-dir.");
            }
        }
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
