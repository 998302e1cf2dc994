package dev.gatewatch.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A main class from the test classpath (or the packaged jar) run as a JVM of its own, its output collected line by line. */
public final class JavaProcess {

    private static final long DEADLINE_SECONDS = 120;

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean done;

    private JavaProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "output of " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    public static JavaProcess start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    /** As {@link #start(Class, String...)}, the command run through {@code prefix} (e.g. {@code ip netns exec <ns>}). */
    public static JavaProcess start(List<String> prefix, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The packaged application ({@code java -jar}), with these JVM options ({@code -Dkey=value}) before the jar. */
    public static JavaProcess jar(Path jar, List<String> options) throws IOException {
        return jar(jar, options, java.util.Map.of());
    }

    /** The same, with these environment variables set too (as an operator's container would). */
    public static JavaProcess jar(Path jar, List<String> options, java.util.Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new JavaProcess(builder.start());
    }

    public long pid() {
        return process.pid();
    }

    /** The first output line starting with {@code prefix}, waiting for it up to a generous deadline. */
    public String awaitLine(String prefix) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        synchronized (lines) {
            for (int seen = 0; ; ) {
                for (; seen < lines.size(); seen++) {
                    if (lines.get(seen).startsWith(prefix)) {
                        return lines.get(seen);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0 || (!process.isAlive() && seen == lines.size() && done)) {
                    throw new AssertionError("no line starting '" + prefix + "' from pid " + pid() + ":\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(left, 500));
            }
        }
    }

    /** Waits for the process to end (it must within the deadline) and its output to be read; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + pid() + " did not exit");
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        synchronized (lines) {
            while (!done && System.nanoTime() < end) {
                lines.wait(500);
            }
        }
        return process.exitValue();
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** SIGTERM, through the handle: {@link Process#destroy()} would also close our end of its output. */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}: for cleanup, which must not hang. */
    public void stop(java.time.Duration grace) throws InterruptedException {
        terminate();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        } finally {
            synchronized (lines) {
                done = true;
                lines.notifyAll();
            }
        }
    }
}
