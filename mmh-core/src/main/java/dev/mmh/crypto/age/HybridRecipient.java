package dev.mmh.crypto.age;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * age 1.3's post-quantum hybrid recipient ({@code age1pq1...}): the file key sealed with HPKE (base mode,
 * MLKEM768-X25519, HKDF-SHA256, ChaCha20Poly1305, info {@code age-encryption.org/mlkem768x25519}); the stanza's
 * argument is HPKE's encapsulated key (1,120 bytes). Immutable; thread-safe.
 */
public final class HybridRecipient implements Recipient {
    static final String TYPE = "mlkem768x25519";
    static final String HRP = "age1pq";
    static final byte[] INFO = "age-encryption.org/mlkem768x25519".getBytes(StandardCharsets.US_ASCII);

    private final byte[] publicKey;
    private final MLKEMPublicKeyParameters mlkem;
    private final byte[] x25519;

    /** @param publicKey the 1,216-byte public key: ML-KEM-768's encapsulation key, then the X25519 public key */
    public HybridRecipient(byte[] publicKey) {
        if (publicKey.length != Hybrid.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("MLKEM768-X25519 public key of " + publicKey.length + " bytes ("
                    + Hybrid.PUBLIC_KEY_SIZE + " expected)");
        }
        this.publicKey = publicKey.clone();
        this.mlkem = new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768,
                Arrays.copyOf(publicKey, Hybrid.MLKEM_PK));
        this.x25519 = Arrays.copyOfRange(publicKey, Hybrid.MLKEM_PK, Hybrid.PUBLIC_KEY_SIZE);
    }

    /** The Bech32 encoding, {@code age1pq1...}. */
    @Override
    public String toString() {
        return Bech32.encode(HRP, publicKey);
    }

    @Override
    public boolean postQuantum() {
        return true;
    }

    @Override
    public List<Stanza> wrap(byte[] fileKey) {
        SecretWithEncapsulation m = new MLKEMGenerator(Wrap.secureRandom()).generateEncapsulated(mlkem);
        byte[] ephemeral = Wrap.random(X25519.SIZE);
        byte[] ctX = X25519.publicKey(ephemeral);
        byte[] ssX;
        try {
            ssX = X25519.multiply(ephemeral, x25519);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the recipient's X25519 key is a low-order point");
        }
        byte[] ss = Hybrid.combine(m.getSecret(), ssX, ctX, x25519);
        byte[][] kn = Hybrid.keySchedule(ss, INFO);
        byte[] enc = Wrap.concat(m.getEncapsulation(), ctX);
        return List.of(new Stanza(TYPE, List.of(B64.encode(enc)), Wrap.seal(kn[0], kn[1], fileKey)));
    }
}
