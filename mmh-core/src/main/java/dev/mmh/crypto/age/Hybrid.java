package dev.mmh.crypto.age;

import dev.mmh.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;

/**
 * The MLKEM768-X25519 KEM (X-Wing; draft-ietf-hpke-pq, filippo.io/hpke-pq) and the HPKE base-mode key schedule
 * (RFC 9180 section 5.1, KDF HKDF-SHA256, AEAD ChaCha20Poly1305) of age's {@code mlkem768x25519} stanza, built from
 * Bouncy Castle's ML-KEM-768, the JDK's X25519 and SHA3-256, and HKDF. Stateless.
 */
final class Hybrid {
    static final int SEED_SIZE = 32;
    static final int MLKEM_PK = 1184;
    static final int MLKEM_CT = 1088;
    static final int PUBLIC_KEY_SIZE = MLKEM_PK + X25519.SIZE;
    static final int ENC_SIZE = MLKEM_CT + X25519.SIZE;
    /** X-Wing's label, the ASCII art {@code \./} {@code /^\}. */
    private static final byte[] XWING_LABEL = "\\./".concat("/^\\").getBytes(StandardCharsets.US_ASCII);
    /** "HPKE" || kem_id 0x647a (MLKEM768-X25519) || kdf_id 0x0001 (HKDF-SHA256) || aead_id 0x0003 (ChaCha20Poly1305) */
    private static final byte[] SUITE = {'H', 'P', 'K', 'E', 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03};
    private static final byte[] HPKE_V1 = "HPKE-v1".getBytes(StandardCharsets.US_ASCII);

    private Hybrid() {
    }

    /** A secret seed expanded: the ML-KEM-768 key (from the first 64 bytes of SHAKE256) and the X25519 scalar. */
    record Keys(MLKEMPrivateKeyParameters mlkem, byte[] x25519, byte[] publicKey) {
    }

    static Keys expand(byte[] seed) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(seed, 0, seed.length);
        byte[] out = new byte[96];
        shake.doFinal(out, 0, out.length);
        MLKEMPrivateKeyParameters m = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768,
                Arrays.copyOf(out, 64));
        byte[] x = Arrays.copyOfRange(out, 64, 96);
        Arrays.fill(out, (byte) 0);
        byte[] pk = Wrap.concat(m.getPublicKeyParameters().getEncoded(), X25519.publicKey(x));
        return new Keys(m, x, pk);
    }

    /** X-Wing's combiner: SHA3-256(ss_M || ss_X || ct_X || pk_X || label). */
    static byte[] combine(byte[] ssM, byte[] ssX, byte[] ctX, byte[] pkX) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA3-256");
            d.update(ssM);
            d.update(ssX);
            d.update(ctX);
            d.update(pkX);
            d.update(XWING_LABEL);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA3-256", e);
        }
    }

    /** HPKE's key and base nonce for the KEM's {@code sharedSecret}, base mode, {@code info}. */
    static byte[][] keySchedule(byte[] sharedSecret, byte[] info) {
        byte[] pskIdHash = labeledExtract(new byte[0], "psk_id_hash", new byte[0]);
        byte[] infoHash = labeledExtract(new byte[0], "info_hash", info);
        byte[] context = Wrap.concat(new byte[] {0}, pskIdHash, infoHash);
        byte[] secret = labeledExtract(sharedSecret, "secret", new byte[0]);
        return new byte[][] {labeledExpand(secret, "key", context, 32),
            labeledExpand(secret, "base_nonce", context, 12)};
    }

    private static byte[] labeledExtract(byte[] salt, String label, byte[] ikm) {
        return Hkdf.extract(salt, Wrap.concat(HPKE_V1, SUITE, Wrap.ascii(label), ikm));
    }

    private static byte[] labeledExpand(byte[] prk, String label, byte[] info, int length) {
        byte[] len = {(byte) (length >>> 8), (byte) length};
        return Hkdf.expand(prk, Wrap.concat(len, HPKE_V1, SUITE, Wrap.ascii(label), info), length);
    }
}
