package dev.mmh.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA-256 (RFC 5869) through Bouncy Castle's {@code HKDFBytesGenerator}: the key derivation of age's header,
 * payload and stanzas, and of HPKE. Stateless; thread-safe. A {@code null} or empty salt is the RFC's default (32
 * zero bytes).
 */
public final class Hkdf {
    private Hkdf() {
    }

    /** Extract then expand: {@code length} bytes (at most 8,160) of HKDF-SHA-256. */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(SHA256Digest.newInstance());
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }

    /** {@link #sha256} with an ASCII {@code info} label. */
    public static byte[] sha256(byte[] ikm, byte[] salt, String info, int length) {
        return sha256(ikm, salt, info.getBytes(java.nio.charset.StandardCharsets.US_ASCII), length);
    }

    /** HKDF-Extract alone: the 32-byte pseudorandom key. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(SHA256Digest.newInstance());
        return g.extractPRK(salt, ikm);
    }

    /** HKDF-Expand alone, from a pseudorandom key {@code prk} of at least 32 bytes. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(SHA256Digest.newInstance());
        g.init(HKDFParameters.skipExtractParameters(prk, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }
}
