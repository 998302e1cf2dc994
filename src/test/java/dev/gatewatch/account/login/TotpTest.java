package dev.gatewatch.account.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

    /** RFC 6238 appendix B, SHA-1: the key is the ASCII of "12345678901234567890". */
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String RFC_SECRET = new Base32().encodeToString(RFC_KEY);

    @ParameterizedTest(name = "t={0}: {1}")
    @CsvSource({"59,94287082", "1111111109,07081804", "1111111111,14050471", "1234567890,89005924", "2000000000,69279037",
            "20000000000,65353130"})
    void theRfcTestVectors(long seconds, String eightDigits) {
        assertEquals(eightDigits, Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(seconds)), 8));
        assertEquals(eightDigits.substring(2), Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(seconds)), 6));
    }

    @ParameterizedTest(name = "code of step {0} at t=1111111111 (step 37037037), last used {1}: accepted {2}")
    @CsvSource({"37037037,,true", "37037036,,true", "37037038,,true", "37037035,,false", "37037039,,false",
            "37037037,37037037,false", "37037037,37037036,true", "37037036,37037036,false", "37037038,37037037,true"})
    void aCodeHoldsForOneStepEitherSideAndOnlyOnce(long step, Long lastStep, boolean accepted) {
        Instant now = Instant.ofEpochSecond(1111111111);
        OptionalLong got = Totp.verify(RFC_SECRET, Totp.code(RFC_KEY, step, 6), now, lastStep);
        assertEquals(accepted, got.isPresent());
        if (accepted) {
            assertEquals(step, got.getAsLong());
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(value = {"''", "12345", "1234567", "abcdef", "12 34 5x", "NULL"}, nullValues = "NULL")
    void malformedCodesAreRefused(String code) {
        assertTrue(Totp.verify(RFC_SECRET, code, Instant.ofEpochSecond(59), null).isEmpty());
    }

    @Test
    void spacesAndDashesInATypedCodeAreIgnored() {
        Instant now = Instant.ofEpochSecond(1111111111);
        String code = Totp.code(RFC_KEY, Totp.step(now), 6);
        assertTrue(Totp.verify(RFC_SECRET, code.substring(0, 3) + " " + code.substring(3), now, null).isPresent());
        assertTrue(Totp.verify(RFC_SECRET, code.substring(0, 3) + "-" + code.substring(3), now, null).isPresent());
    }

    @Test
    void newSecretsAre160BitsOfBase32AndTheUriIsWhatAppsRead() {
        String secret = Totp.newSecret();
        assertEquals(32, secret.length());
        assertEquals(20, new Base32().decode(secret).length);
        assertEquals("otpauth://totp/Gatewatch%3Aowner%40example.com?secret=" + secret
                + "&issuer=Gatewatch&algorithm=SHA1&digits=6&period=30", Totp.uri("Gatewatch", "owner@example.com", secret));
    }
}
