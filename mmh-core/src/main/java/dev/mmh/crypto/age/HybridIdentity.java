package dev.mmh.crypto.age;

import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.kems.MLKEMExtractor;

/**
 * age 1.3's post-quantum hybrid identity ({@code AGE-SECRET-KEY-PQ-1...}): a 32-byte seed from which SHAKE256 derives
 * the ML-KEM-768 and X25519 keys. Immutable; thread-safe.
 */
public final class HybridIdentity implements Identity {
    static final String HRP = "age-secret-key-pq-";

    private final byte[] seed;
    private final Hybrid.Keys keys;

    /** @param seed the 32-byte secret seed */
    public HybridIdentity(byte[] seed) {
        if (seed.length != Hybrid.SEED_SIZE) {
            throw new IllegalArgumentException("MLKEM768-X25519 secret key of " + seed.length + " bytes");
        }
        this.seed = seed.clone();
        this.keys = Hybrid.expand(this.seed);
    }

    /** A new identity from the system's secure random source. */
    public static HybridIdentity generate() {
        return new HybridIdentity(Wrap.random(Hybrid.SEED_SIZE));
    }

    public HybridRecipient recipient() {
        return new HybridRecipient(keys.publicKey());
    }

    /** The seed's Bech32 encoding in uppercase, {@code AGE-SECRET-KEY-PQ-1...}: a secret. */
    public String encode() {
        return Bech32.encodeUpper(HRP, seed);
    }

    @Override
    public String toString() {
        return "MLKEM768-X25519 identity";
    }

    @Override
    public byte[] unwrap(List<Stanza> stanzas) throws AgeHeaderException {
        for (Stanza s : stanzas) {
            if (!s.type().equals(HybridRecipient.TYPE)) {
                continue;
            }
            byte[] enc = Wrap.oneArgument(s, Hybrid.ENC_SIZE);
            byte[] ctM = Arrays.copyOf(enc, Hybrid.MLKEM_CT);
            byte[] ctX = Arrays.copyOfRange(enc, Hybrid.MLKEM_CT, Hybrid.ENC_SIZE);
            byte[] ssM = new MLKEMExtractor(keys.mlkem()).extractSecret(ctM); // implicit rejection: never fails
            byte[] ssX;
            try {
                ssX = X25519.multiply(keys.x25519(), ctX);
            } catch (InvalidKeyException e) {
                throw new AgeHeaderException("mlkem768x25519 stanza: its X25519 share is a low-order point", -1);
            }
            byte[] pkX = Arrays.copyOfRange(keys.publicKey(), Hybrid.MLKEM_PK, Hybrid.PUBLIC_KEY_SIZE);
            byte[][] kn = Hybrid.keySchedule(Hybrid.combine(ssM, ssX, ctX, pkX), HybridRecipient.INFO);
            byte[] fileKey = Wrap.open(kn[0], kn[1], s.body());
            if (fileKey != null) {
                return fileKey;
            }
        }
        return null;
    }
}
