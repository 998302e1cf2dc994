package dev.gatewatch.config;

import java.nio.file.Path;

/**
 * Owns an embedded data directory from a process of its own, for {@link EmbeddedPostgresOwnershipTest}: prints
 * {@code ready <jdbc-url>} once its server runs, then keeps it until its standard input closes.
 */
public final class EmbeddedPostgresOwner {

    private EmbeddedPostgresOwner() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(new EmbeddedPostgres.Settings(Path.of(args[0]), 0, false, "owned"))) {
            System.out.println("ready " + pg.jdbcUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our input (or kills us)
            }
        } catch (DataDirectoryLock.InUseException refused) {
            System.out.println("refused " + refused.getMessage());
            System.exit(3);
        }
    }
}
