package dev.mmh.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA-256 (RFC 5869): extract and expand over the JDK's HMAC-SHA-256, the key derivation of age's header,
 * payload and stanzas, and of HPKE. (Over the JDK rather than Bouncy Castle: opening Bouncy Castle's signed jar costs
 * the first use ~0.1-0.3 s of jar verification, and the X25519 path of {@code mmh encrypt} needs nothing else from
 * it.) Stateless; thread-safe. A {@code null} or empty salt is the RFC's default (32 zero bytes).
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
        Mac m = mac(salt == null || salt.length == 0 ? new byte[HASH] : salt);
        return m.doFinal(ikm);
    }

    /** HKDF-Expand alone, from a pseudorandom key {@code prk} of at least 32 bytes. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH) {
            throw new IllegalArgumentException("HKDF output of " + length + " bytes (0 to 8160)");
        }
        if (prk.length < HASH) {
            throw new IllegalArgumentException("HKDF pseudorandom key of " + prk.length + " bytes");
        }
        Mac m = mac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int i = 1, at = 0; at < length; i++) {
            m.update(t);
            m.update(info);
            m.update((byte) i);
            t = m.doFinal();
            int k = Math.min(HASH, length - at);
            System.arraycopy(t, 0, out, at, k);
            at += k;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HMAC-SHA-256", e);
        }
    }
}
