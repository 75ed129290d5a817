package dev.mmh.crypto.age;

import dev.mmh.crypto.Hkdf;
import java.security.InvalidKeyException;
import java.util.List;

/**
 * age's X25519 recipient ({@code age1...}): the file key wrapped under HKDF-SHA-256 of an ephemeral X25519 exchange,
 * label {@code age-encryption.org/v1/X25519}. Immutable; thread-safe.
 */
public final class X25519Recipient implements Recipient {
    static final String TYPE = "X25519";
    static final String HRP = "age";
    static final String LABEL = "age-encryption.org/v1/X25519";

    private final byte[] publicKey;

    /** @param publicKey the 32-byte X25519 public key */
    public X25519Recipient(byte[] publicKey) {
        if (publicKey.length != X25519.SIZE) {
            throw new IllegalArgumentException("X25519 public key of " + publicKey.length + " bytes");
        }
        this.publicKey = publicKey.clone();
    }

    /** The Bech32 encoding, {@code age1...}. */
    @Override
    public String toString() {
        return Bech32.encode(HRP, publicKey);
    }

    @Override
    public List<Stanza> wrap(byte[] fileKey) {
        byte[] ephemeral = Wrap.random(X25519.SIZE);
        byte[] share = X25519.publicKey(ephemeral);
        byte[] shared;
        try {
            shared = X25519.multiply(ephemeral, publicKey);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("X25519 recipient is a low-order point");
        }
        byte[] key = Hkdf.sha256(shared, Wrap.concat(share, publicKey), LABEL, 32);
        return List.of(new Stanza(TYPE, List.of(B64.encode(share)), Wrap.seal(key, null, fileKey)));
    }
}
