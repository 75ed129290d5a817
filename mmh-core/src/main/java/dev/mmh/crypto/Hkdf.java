package dev.mmh.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HKDF-SHA-256 (RFC 5869): extract and expand over {@link CryptoContext}'s HMAC-SHA-256 (OpenSSL, else the JDK), the
 * key derivation of age's header, payload and stanzas, and of HPKE. (Not over Bouncy Castle: opening its signed jar
 * costs the first use ~0.1-0.3 s of jar verification, and the X25519 path of {@code mmh encrypt} needs nothing else
 * from it; nor over the JDK's {@code Mac} when OpenSSL is there: its first use loads the JCE's provider machinery,
 * tens of milliseconds of start-up.) Stateless; thread-safe. A {@code null} or empty salt is the RFC's default (32
 * zero bytes).
 */
public final class Hkdf {
    private static final int HASH = 32;

    private Hkdf() {
    }

    /** Extract then expand: {@code length} bytes (at most 8,160) of HKDF-SHA-256. */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }

    /** {@link #sha256} with an ASCII {@code info} label. */
    public static byte[] sha256(byte[] ikm, byte[] salt, String info, int length) {
        return sha256(ikm, salt, info.getBytes(StandardCharsets.US_ASCII), length);
    }

    /** HKDF-Extract alone: the 32-byte pseudorandom key HMAC(salt, ikm). */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        try (CryptoContext c = CryptoContext.open()) {
            byte[] key = salt == null || salt.length == 0 ? new byte[HASH] : salt;
            if (key.length > CryptoContext.MAX_HMAC_KEY) {
                key = c.sha256(key, 0, key.length); // what HMAC does with a key longer than its block (RFC 2104)
            }
            return c.hmacSha256(key, ikm, 0, ikm.length);
        }
    }

    /** HKDF-Expand alone, from a pseudorandom key {@code prk} of at least 32 bytes. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH) {
            throw new IllegalArgumentException("HKDF output of " + length + " bytes (0 to 8160)");
        }
        if (prk.length < HASH) {
            throw new IllegalArgumentException("HKDF pseudorandom key of " + prk.length + " bytes");
        }
        byte[] out = new byte[length];
        byte[] t = new byte[HASH];
        byte[] counter = new byte[1];
        try (CryptoContext c = CryptoContext.open()) {
            for (int i = 1, at = 0; at < length; i++) {
                c.beginHmacSha256(prk);
                if (i > 1) {
                    c.update(t, 0, HASH);
                }
                c.update(info, 0, info.length);
                counter[0] = (byte) i;
                c.update(counter, 0, 1);
                c.end(t, 0);
                int k = Math.min(HASH, length - at);
                System.arraycopy(t, 0, out, at, k);
                at += k;
            }
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }
}
