package dev.gatewatch.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatewatch.config.EmbeddedPostgres;

/** The packaged jar run as processes of its own by the benchmarks, each with its roles, on a throwaway embedded PostgreSQL. */
final class PackagedApp {

    private static final long STOP_SECONDS = 60;

    private PackagedApp() {
    }

    /** The jar the benchmarks run; the bench profiles package it before they start. */
    static Path jar(String profile) {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -P" + profile + " verify (it packages first)");
        }
        return jar;
    }

    /** A throwaway embedded PostgreSQL for a benchmark run. */
    static EmbeddedPostgres database() {
        // temporary: the server makes (and deletes) a data directory of its own, the one named here is not used
        return EmbeddedPostgres.start(new EmbeddedPostgres.Settings(Path.of("unused"), 0, true, "bench"));
    }

    /** A free TCP port for the app under test. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process start(Path jar, String heap, EmbeddedPostgres pg, String role, int httpPort, Path log) throws IOException {
        return start(jar, heap, pg, role, httpPort, log, Map.of());
    }

    /** The jar as its own process with {@code role}, its output to {@code log}; HTTP on {@code httpPort} (0: any); {@code env} last, so it wins. */
    static Process start(Path jar, String heap, EmbeddedPostgres pg, String role, int httpPort, Path log, Map<String, String> env)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", pg.username());
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "");
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", "0"); // several processes on one machine: each its own free port
        pb.environment().put("GATEWATCH_ROLES", role);
        pb.environment().put("GATEWATCH_CHECKER_REGION", "bench");
        pb.environment().put("GATEWATCH_TARGETS_ALLOW", "127.0.0.0/8");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** SIGTERM, then waits for the process to finish its shutdown; SIGKILL if it has not within a minute. Null and gone: nothing. */
    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    System.out.printf("pid %d did not stop within %d s of SIGTERM: killed%n", p.pid(), STOP_SECONDS);
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
        }
    }
}
