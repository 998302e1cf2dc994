package dev.gatewatch.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes one live process the owner of an embedded data directory: an OS lock on {@code <data-dir>.lock}, held for as
 * long as the owner runs. The kernel drops the lock when the process dies, even by {@code kill -9}, so a lock that can
 * be taken proves that whoever started a leftover server is gone. PostgreSQL's own {@code postmaster.pid} cannot tell
 * this: it names the server, which outlives a killed owner.
 */
final class DataDirectoryLock implements AutoCloseable {

    /** Another live process owns the data directory; it is left alone. */
    static final class InUseException extends IllegalStateException {
        InUseException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
    }

    /** Takes the lock and records this process in it, or throws {@link InUseException} naming the owner. */
    static DataDirectoryLock acquire(Path dataDirectory) throws IOException {
        Path file = lockFile(dataDirectory);
        Files.createDirectories(file.getParent());
        String self = owner(ProcessHandle.current());
        String recorded = Files.exists(file) ? Files.readString(file).trim() : "";
        if (recorded.equals(self)) {
            // held by this JVM: opening and closing a second channel would drop that lock (POSIX locks are per process)
            throw new InUseException(inUse(dataDirectory, recorded));
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new InUseException(inUse(dataDirectory, Files.readString(file).trim()));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new DataDirectoryLock(channel, lock);
    }

    /** Pid and start time: a pid alone is reused, e.g. every container's JVM is pid 1. */
    private static String owner(ProcessHandle process) {
        return "pid " + process.pid() + process.info().startInstant().map(t -> ", started " + t).orElse("");
    }

    static String inUse(Path dataDirectory, String owner) {
        return "The embedded PostgreSQL data directory " + dataDirectory + " belongs to a running Gatewatch ("
                + (owner.isEmpty() ? "owner unknown" : owner) + "). Not starting a second server on it, and not stopping"
                + " that one. Stop the other instance first, or give this one its own directory"
                + " (gatewatch.database.embedded.data-dir) or its own server (QUARKUS_DATASOURCE_JDBC_URL).";
    }

    /** Gives the directory up; the record is cleared first, so this JVM may own it again. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
