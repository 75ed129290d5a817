package dev.mmh.crypto.age;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.crypto.CryptoContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** What the recipient types share: their randomness and the ChaCha20-Poly1305 of stanza bodies. Stateless. */
final class Wrap {
    static final int FILE_KEY_SIZE = 16;
    /** A wrapped file key: 16 bytes and a 16-byte tag. */
    static final int BODY_SIZE = FILE_KEY_SIZE + CryptoContext.AEAD_TAG_LENGTH;
    private static final byte[] ZERO_NONCE = new byte[CryptoContext.AEAD_NONCE_LENGTH];
    /** For what OpenSSL's random bytes cannot serve (Bouncy Castle's ML-KEM takes a SecureRandom). */
    static SecureRandom secureRandom() {
        return Jdk.RANDOM;
    }

    private static final class Jdk {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private Wrap() {
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        if (!CryptoContext.randomBytes(b)) {
            Jdk.RANDOM.nextBytes(b);
        }
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** ChaCha20-Poly1305 of {@code plain} under {@code key} with the nonce {@code nonce} (12 zeros if null). */
    static byte[] seal(byte[] key, byte[] nonce, byte[] plain) {
        byte[] out = new byte[plain.length + CryptoContext.AEAD_TAG_LENGTH];
        try (CryptoContext c = CryptoContext.open()) {
            c.seal(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce != null ? nonce : ZERO_NONCE, null, 0, 0, plain, 0,
                    plain.length, out, 0);
        }
        return out;
    }

    /** The plaintext of {@code sealed}, or {@code null} if it does not authenticate under {@code key}. */
    static byte[] open(byte[] key, byte[] nonce, byte[] sealed) {
        byte[] out = new byte[sealed.length - CryptoContext.AEAD_TAG_LENGTH];
        try (CryptoContext c = CryptoContext.open()) {
            c.open(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce != null ? nonce : ZERO_NONCE, null, 0, 0, sealed, 0,
                    sealed.length, out, 0);
            return out;
        } catch (AuthenticationFailedException e) {
            return null;
        }
    }

    /** The one argument of {@code s}, base64-decoded to exactly {@code size} bytes, and its body checked. */
    static byte[] oneArgument(Stanza s, int size) throws AgeHeaderException {
        if (s.args().size() != 1) {
            throw new AgeHeaderException(s.type() + " stanza with " + s.args().size() + " arguments (1 expected)", -1);
        }
        byte[] v = B64.decode(s.args().get(0));
        if (v == null || v.length != size) {
            throw new AgeHeaderException(s.type() + " stanza: its argument is not the canonical base64 of " + size
                    + " bytes", -1);
        }
        checkBody(s);
        return v;
    }

    /** Refuses a body that is not a wrapped 16-byte key before any decryption (age's rule against oracles). */
    static void checkBody(Stanza s) throws AgeHeaderException {
        if (s.body().length != BODY_SIZE) {
            throw new AgeHeaderException(s.type() + " stanza body of " + s.body().length + " bytes (" + BODY_SIZE
                    + " expected)", -1);
        }
    }
}
