package dev.gatewatch.bench;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * exec:java runs a benchmark inside Maven's JVM, where Maven's heap and the JIT compiling the build would count as
 * harness CPU and compete with the processes measured. So the benchmark starts itself again in a JVM of its own, with
 * the same class path and -Dbench.* properties, and waits for it.
 */
final class HarnessJvm {

    private static final String FORKED = "bench.forked";

    private HarnessJvm() {
    }

    interface Benchmark {
        void run() throws Exception;
    }

    static boolean forked() {
        return Boolean.getBoolean(FORKED);
    }

    /** In the child: runs the benchmark and exits (0, or 1 on failure), whatever threads a library left running. */
    static void exitWhenDone(Benchmark benchmark) {
        try {
            benchmark.run();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** True when the benchmark ran in a child JVM (and is done); false when this JVM should run it itself. */
    static boolean forkIfInsideMaven(Class<?> main) throws Exception {
        if (forked() || !Boolean.parseBoolean(System.getProperty("bench.fork", "true"))
                || !(main.getClassLoader() instanceof URLClassLoader loader)) {
            return false;
        }
        List<String> classPath = new ArrayList<>();
        for (URL url : loader.getURLs()) {
            try {
                classPath.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException notAFile) {
                return false;
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + System.getProperty("bench.harness.heap", "512m"), "-D" + FORKED + "=true"));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.")).sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), main.getName()));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Maven interrupted: SIGTERM the harness, whose own shutdown hook stops the checker and PostgreSQL
        Thread hook = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        int exit = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(hook);
        if (exit != 0) {
            throw new IllegalStateException("the benchmark's JVM exited with " + exit);
        }
        return true;
    }
}
