package dev.gatewatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

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
    private final Path binaries;
    private final int port;
    private final boolean dropPrivileges;

    private EmbeddedPostgres(Settings settings, Path binaries, int port, boolean dropPrivileges) {
        this.settings = settings;
        this.dataDirectory = settings.temporary() ? temporaryDirectory() : settings.dataDirectory().toAbsolutePath();
        this.binaries = binaries;
        this.port = port;
        this.dropPrivileges = dropPrivileges;
    }

    /** Unpacks the binaries if needed, initialises the data directory if empty, starts the server and creates the database. */
    public static EmbeddedPostgres start(Settings settings) {
        try {
            boolean root = isRoot();
            Path binaries = unpackBinaries();
            int port = settings.port() > 0 ? settings.port() : freePort();
            EmbeddedPostgres pg = new EmbeddedPostgres(settings, binaries, port, root);
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
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

    private static Path temporaryDirectory() {
        try {
            // the server user (nobody, when we are root) must be able to enter it
            return Files.createTempDirectory("gatewatch-postgres-data",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        try {
            return Files.readString(dataDirectory.resolve("PG_VERSION")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir(), "-m", "fast", "-w", "stop"), false);
            if (settings.temporary()) {
                deleteTree(dataDirectory);
            }
        } catch (IOException e) {
            LOG.warnf("Could not stop the embedded PostgreSQL server: %s", e.getMessage());
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
                + " -c max_connections=200 -c shared_buffers=128MB";
        run(List.of(bin("pg_ctl"), "-D", dataDir(), "-o", options, "-l", data.resolve("server.log").toString(),
                "-t", Long.toString(START_TIMEOUT_SECONDS), "-w", "start"), true);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgres-stop"));
        createDatabase();
    }

    /** A server left running by a killed JVM holds the data directory; stop it so ours can start. */
    private void stopLeftover() throws IOException {
        if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
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

    private static Path unpackBinaries() throws IOException {
        String resource = binaryResourceName();
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "gatewatch-postgres-" + binaryFingerprint(resource));
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "gatewatch-postgres-unpack");
        try (InputStream raw = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(resource);
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
            List<TarArchiveEntry> links = new ArrayList<>();
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("unsafe entry in PostgreSQL archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    links.add(entry);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(
                            (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            for (TarArchiveEntry link : links) {
                Path out = staging.resolve(link.getName()).normalize();
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(link.getLinkName()));
            }
        }
        try (Stream<Path> tree = Files.walk(staging)) {
            for (Path dir : (Iterable<Path>) tree.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.createFile(staging.resolve(".complete"));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // another process unpacked the same binaries first
            deleteTree(staging);
        }
        return target;
    }

    private static String binaryResourceName() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String normalized = arch.equals("aarch64") || arch.equals("arm64") ? "arm_64" : "x86_64";
        String name = "postgres-" + system + "-" + normalized + ".txz";
        if (EmbeddedPostgres.class.getClassLoader().getResource(name) == null) {
            throw new IOException("No embedded PostgreSQL binaries for " + system + "/" + arch + " in this build ("
                    + name + "); set QUARKUS_DATASOURCE_JDBC_URL to use an existing PostgreSQL server");
        }
        return name;
    }

    private static String binaryFingerprint(String resource) throws IOException {
        try (InputStream in = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(resource)) {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
