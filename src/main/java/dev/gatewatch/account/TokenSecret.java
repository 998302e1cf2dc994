package dev.gatewatch.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The format of API token secrets: {@code gw_} and 43 URL-safe base64 characters (256 random bits). Session tokens and
 * reset links are made the same way under prefixes of their own.
 */
public final class TokenSecret {

    public static final String PREFIX = "gw_";
    private static final Pattern FORMAT = Pattern.compile("gw_[A-Za-z0-9_-]{32,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecret() {
    }

    public static String generate() {
        return generate(PREFIX);
    }

    /** {@code prefix} and 256 random bits as 43 URL-safe base64 characters. */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean wellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    /** Tokens carry 256 random bits, so a fast hash is enough; no salt or stretching needed. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(token.length(), 10));
    }
}
