package dev.gatewatch.config;

import java.nio.file.Path;
import java.sql.DriverManager;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.ApplicationLifecycleManager;

/**
 * A Quarkus application whose stop takes a while and then writes to the embedded database, as the checker's and
 * writer's ShutdownEvent observers do, run through the same lifecycle manager (and its SIGTERM hook) as the real jar.
 * Prints {@code ready <jdbc-url>}, and {@code stopping: written} or {@code stopping: failed ...}.
 */
public final class SlowToStopApplication extends Application {

    private final Path data;
    private String url;

    private SlowToStopApplication(Path data) {
        super(false);
        this.data = data;
    }

    public static void main(String[] args) {
        ApplicationLifecycleManager.run(new SlowToStopApplication(Path.of(args[0])));
    }

    @Override
    protected void doStart(String[] args) {
        url = EmbeddedDatabaseConfigSourceFactory.startOnce(new EmbeddedPostgres.Settings(data, 0, false, "owned"));
        System.out.println("ready " + url);
    }

    @Override
    protected void doStop() {
        try {
            Thread.sleep(1500); // long enough that a server stopped concurrently with us would be gone by now
            try (var c = DriverManager.getConnection(url, "postgres", "")) {
                c.createStatement().execute("insert into written_while_stopping values ('flushed')");
            }
            System.out.println("stopping: written");
        } catch (Exception e) {
            System.out.println("stopping: failed " + e);
        }
    }

    @Override
    public String getName() {
        return "slow-to-stop";
    }
}
