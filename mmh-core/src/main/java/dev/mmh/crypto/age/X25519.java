package dev.mmh.crypto.age;

import dev.mmh.crypto.CryptoContext;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte strings: through OpenSSL where libmmhcrypto is in use ({@link
 * CryptoContext#x25519}), else, and for the all-zero results OpenSSL refuses, through the JDK's XDH provider, whose
 * first use costs 40-90 ms of start-up. Stateless; thread-safe.
 */
final class X25519 {
    static final int SIZE = 32;
    private static final byte[] BASEPOINT = new byte[SIZE];

    static {
        BASEPOINT[0] = 9;
    }

    private X25519() {
    }

    /** The public key (u-coordinate) of {@code scalar}. */
    static byte[] publicKey(byte[] scalar) {
        try {
            return multiply(scalar, BASEPOINT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("X25519 of the base point failed", e);
        }
    }

    /**
     * X25519({@code scalar}, {@code u}).
     *
     * @throws InvalidKeyException if the result is all zeros ({@code u} is a point of small order): age refuses it
     */
    static byte[] multiply(byte[] scalar, byte[] u) throws InvalidKeyException {
        if (scalar.length != SIZE || u.length != SIZE) {
            throw new IllegalArgumentException("X25519 inputs are 32 bytes");
        }
        byte[] out = new byte[SIZE];
        if (CryptoContext.x25519(scalar, u, out)) {
            return out;
        }
        return jdk(scalar, u);
    }

    /** {@link #multiply} through the JDK. */
    static byte[] jdk(byte[] scalar, byte[] u) throws InvalidKeyException {
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            byte[] be = new byte[SIZE];
            for (int i = 0; i < SIZE; i++) {
                be[i] = u[SIZE - 1 - i];
            }
            be[0] &= 0x7f; // RFC 7748 section 5: the top bit of the u-coordinate is ignored
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] shared = ka.generateSecret();
            int acc = 0;
            for (byte b : shared) {
                acc |= b;
            }
            if (acc == 0) {
                throw new InvalidKeyException("X25519 shared secret is zero");
            }
            return shared;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            if (e.getCause() instanceof InvalidKeyException ik) {
                throw ik;
            }
            throw new IllegalStateException("the JDK's X25519 failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the JDK reports a small-order point from generateSecret as an unchecked exception in some versions
            throw new InvalidKeyException("X25519: " + e.getMessage(), e);
        }
    }
}
