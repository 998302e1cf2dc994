package dev.gatewatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** The zonky PostgreSQL binaries shipped in the jar, unpacked once per build of them under the temp directory. */
final class PostgresBinaries {

    private PostgresBinaries() {
    }

    /** The unpacked installation (with {@code bin/}), unpacking it first if no process has yet. */
    static Path unpack() throws IOException {
        String resource = resourceName();
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "gatewatch-postgres-" + fingerprint(resource));
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "gatewatch-postgres-unpack");
        try (InputStream raw = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
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
            EmbeddedPostgres.deleteTree(staging);
        }
        return target;
    }

    private static String resourceName() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String normalized = arch.equals("aarch64") || arch.equals("arm64") ? "arm_64" : "x86_64";
        String name = "postgres-" + system + "-" + normalized + ".txz";
        if (PostgresBinaries.class.getClassLoader().getResource(name) == null) {
            throw new IOException("No embedded PostgreSQL binaries for " + system + "/" + arch + " in this build ("
                    + name + "); set QUARKUS_DATASOURCE_JDBC_URL to use an existing PostgreSQL server");
        }
        return name;
    }

    private static String fingerprint(String resource) throws IOException {
        try (InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource)) {
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
}
