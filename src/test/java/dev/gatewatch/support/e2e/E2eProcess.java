package dev.gatewatch.support.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One real child process of an end-to-end test (nginx, dnsmasq), with its files in its own temp directory.
 * Its standard output and error go to {@code stdout.log} there. Stopped by {@link #close()} and, should a test
 * crash or forget, by a JVM shutdown hook; where the JVM dies without running its hooks (SIGKILL, OOM killer) a small
 * watchdog ({@code bash}, one per process, polling once a second) ends the process, so nothing keeps running after
 * the test JVM. The temp directory is
 * deleted on close unless the system property {@code e2e.keep} is true.
 */
public final class E2eProcess implements AutoCloseable {

    /** How long a process gets to come up before the test fails. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Path dir;
    private final List<Path> logs;
    private final Process process;
    private final Process watchdog;
    private final Thread shutdownHook;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private E2eProcess(String name, Path dir, List<Path> logs, Process process, Process watchdog) {
        this.name = name;
        this.dir = dir;
        this.logs = logs;
        this.process = process;
        this.watchdog = watchdog;
        this.shutdownHook = new Thread(this::stopAndClean, "e2e-stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A fresh temp directory for one process's config, pid file and logs. */
    public static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("gatewatch-e2e-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for " + name, e);
        }
    }

    /**
     * Starts {@code command} in {@code dir}. {@code logs} are the process's own log files, whose tails go into the
     * message when it fails; {@code stdout.log} is always added.
     */
    public static E2eProcess start(String name, List<String> command, Path dir, List<Path> logs) {
        Path stdout = dir.resolve("stdout.log");
        List<Path> allLogs = new ArrayList<>(logs);
        allLogs.add(stdout);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(stdout.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + command.get(0)
                    + "); run src/test/e2e/install-tools.sh to install it", e);
        }
        return new E2eProcess(name, dir, List.copyOf(allLogs), process, startWatchdog(process));
    }

    /**
     * Ends {@code process} (SIGTERM, SIGKILL 5 s later) once this JVM is gone; ends itself when the process is.
     * Null when it cannot be started: the shutdown hook still covers every exit but SIGKILL.
     */
    private static Process startWatchdog(Process process) {
        String script = "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; "
                + "if kill -0 \"$2\" 2>/dev/null; then kill -TERM \"$2\"; sleep 5; kill -KILL \"$2\" 2>/dev/null; fi";
        try {
            return new ProcessBuilder("bash", "-c", script, "e2e-watchdog",
                    Long.toString(ProcessHandle.current().pid()), Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Waits until {@code ready} holds, at most {@link #START_TIMEOUT}. Fails, stopping the process, when it exits
     * first or does not get ready in time; the message carries the tail of its logs.
     */
    public void awaitReady(String what, BooleanSupplier ready) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String message = name + " exited with code " + process.exitValue() + " before " + what + "\n" + logTail();
                close();
                throw new IllegalStateException(message);
            }
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String message = name + " did not get ready within " + START_TIMEOUT.toSeconds() + " s (" + what + ")\n"
                        + logTail();
                close();
                throw new IllegalStateException(message);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of each log file, for failure messages. */
    public String logTail() {
        StringBuilder out = new StringBuilder();
        for (Path log : logs) {
            out.append("--- ").append(log).append(" (last lines) ---\n");
            String text = read(log);
            String[] lines = text.split("\n", -1);
            int from = Math.max(0, lines.length - 30);
            for (int i = from; i < lines.length; i++) {
                if (i < lines.length - 1 || !lines[i].isEmpty()) {
                    out.append(lines[i]).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A file's whole text, or "" when it does not exist (yet). */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s) and any children it left, then deletes the temp dir. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
        stopAndClean();
    }

    private void stopAndClean() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        stopProcess();
        if (!Boolean.getBoolean("e2e.keep")) {
            deleteRecursively(dir);
        }
    }

    private void stopProcess() {
        // nginx's workers are children of its master; take them too, should the master die without them.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        if (watchdog != null) {
            watchdog.destroyForcibly();
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file harms nothing
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** True when this JVM runs as root: nginx then needs {@code user root;} and dnsmasq {@code --user=root}. */
    public static boolean runningAsRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable notUnix) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", " + dir + "]";
    }
}
