package dev.mmh.crypto.age;

import dev.mmh.crypto.Hkdf;
import java.security.InvalidKeyException;
import java.util.List;

/** age's X25519 identity ({@code AGE-SECRET-KEY-1...}). Immutable; thread-safe. */
public final class X25519Identity implements Identity {
    static final String HRP = "age-secret-key-";

    private final byte[] secretKey;
    private final byte[] publicKey;

    /** @param secretKey the 32-byte X25519 secret scalar */
    public X25519Identity(byte[] secretKey) {
        if (secretKey.length != X25519.SIZE) {
            throw new IllegalArgumentException("X25519 secret key of " + secretKey.length + " bytes");
        }
        this.secretKey = secretKey.clone();
        this.publicKey = X25519.publicKey(this.secretKey);
    }

    /** A new identity from the system's secure random source. */
    public static X25519Identity generate() {
        return new X25519Identity(Wrap.random(X25519.SIZE));
    }

    public X25519Recipient recipient() {
        return new X25519Recipient(publicKey);
    }

    /** The secret key's Bech32 encoding in uppercase, {@code AGE-SECRET-KEY-1...}: a secret. */
    public String encode() {
        return Bech32.encodeUpper(HRP, secretKey);
    }

    /** Names the type only: a secret key is never printed by accident. */
    @Override
    public String toString() {
        return "X25519 identity of " + recipient();
    }

    @Override
    public byte[] unwrap(List<Stanza> stanzas) throws AgeHeaderException {
        for (Stanza s : stanzas) {
            if (!s.type().equals(X25519Recipient.TYPE)) {
                continue;
            }
            byte[] share = Wrap.oneArgument(s, X25519.SIZE);
            byte[] shared;
            try {
                shared = X25519.multiply(secretKey, share);
            } catch (InvalidKeyException e) {
                throw new AgeHeaderException("X25519 stanza: its share is a low-order point", -1);
            }
            byte[] key = Hkdf.sha256(shared, Wrap.concat(share, publicKey), X25519Recipient.LABEL, 32);
            byte[] fileKey = Wrap.open(key, null, s.body());
            if (fileKey != null) {
                return fileKey;
            }
        }
        return null;
    }
}
