package dev.gatewatch.dashboard.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short hex SHA-256 fingerprints: ETags of public responses, and names of incidents on a public page. */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** The first {@code bytes} bytes of the SHA-256 of {@code text}, in hex. */
    public static String of(String text, int bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
