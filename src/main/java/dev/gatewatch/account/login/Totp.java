package dev.gatewatch.account.login;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30 s steps, 6 digits, what every authenticator
 * app reads from an {@code otpauth://} URI. Hand-written: it is twenty lines of the RFC, checked against its test
 * vectors, and no library for it is part of the stack.
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    /** Steps either side of now a code is accepted for: a phone's clock a little off still works. */
    static final int DRIFT = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {
    }

    /** A new shared secret: 160 random bits, base32 without padding. */
    public static String newSecret() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return new Base32().encodeToString(bytes).replace("=", "");
    }

    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP_SECONDS);
    }

    /** The code for {@code step}, {@code digits} long, zero-padded. */
    public static String code(byte[] key, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            String code = Long.toString(binary % (long) Math.pow(10, digits));
            return "0".repeat(digits - code.length()) + code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    /**
     * The step {@code code} is valid for at {@code now} (within the drift), if it is later than {@code lastStep}: a
     * code is accepted once, and never one older than the last accepted.
     */
    public static OptionalLong verify(String secret, String code, Instant now, Long lastStep) {
        String digits = code == null ? "" : code.replaceAll("[\\s-]", "");
        if (secret == null || !digits.matches("\\d{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        byte[] key = new Base32().decode(secret);
        long current = step(now);
        for (long s = current - DRIFT; s <= current + DRIFT; s++) {
            boolean match = MessageDigest.isEqual(code(key, s, DIGITS).getBytes(StandardCharsets.US_ASCII), digits.getBytes(StandardCharsets.US_ASCII));
            if (match && (lastStep == null || s > lastStep)) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** What an authenticator app scans: {@code otpauth://totp/Issuer:account?secret=…&issuer=…}. */
    public static String uri(String issuer, String account, String secret) {
        String label = URLEncoder.encode(issuer + ":" + account, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20")
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }
}
