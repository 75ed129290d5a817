package dev.mmh.crypto.minisign;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.UnsupportedFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * minisign's formats (jedisct1/minisign 0.8 and later): key pairs, detached signatures and their checking. A
 * signature is Ed25519 over the BLAKE2b-512 of the file (algorithm {@code ED}; the legacy {@code Ed}, over the file
 * itself, is verified too, never written), with the signer's 8-byte key id, and a trusted comment that a second,
 * global Ed25519 signature covers together with the first. Secret keys are stored unencrypted (minisign {@code -W})
 * or encrypted: XORed with scrypt (libsodium's scryptsalsa208sha256 with minisign's limits) of a passphrase and checked
 * by a BLAKE2b-256 checksum. Ed25519, BLAKE2b and scrypt are Bouncy Castle's. Stateless; thread-safe.
 */
public final class Minisign {
    static final String COMMENT = "untrusted comment: ";
    static final String TRUSTED = "trusted comment: ";
    private static final byte[] ED = {'E', 'd'};
    private static final byte[] ED_HASHED = {'E', 'D'};
    private static final byte[] SCRYPT = {'S', 'c'};
    private static final byte[] NO_KDF = {0, 0};
    private static final byte[] B2 = {'B', '2'};
    /** libsodium's OPSLIMIT_SENSITIVE and MEMLIMIT_SENSITIVE, what minisign encrypts keys with. */
    static final long OPSLIMIT = 33554432L;
    static final long MEMLIMIT = 1073741824L;
    private static final int KEYNUM_SK = 8 + 64 + 32;
    private static final int SECRET_STRUCT = 2 + 2 + 2 + 32 + 8 + 8 + KEYNUM_SK;
    private static final long MAX_KEY_FILE = 1 << 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Minisign() {
    }

    /** A public key: its 8-byte id and 32-byte Ed25519 key. */
    public record PublicKey(byte[] keyId, byte[] key) {
        /** The {@code RWQ...} line: base64 of {@code Ed}, key id, key. */
        public String encode() {
            return Base64.getEncoder().encodeToString(concat(ED, keyId, key));
        }

        /** The key id as minisign prints it: the little-endian number in uppercase hex. */
        public String id() {
            return keyIdHex(keyId);
        }

        /** The text of a public key file as minisign writes it. */
        public String file() {
            return COMMENT + "minisign public key " + id() + "\n" + encode() + "\n";
        }
    }

    /** A secret key: its id, the Ed25519 seed and public key. Holds secrets; do not log. */
    public record SecretKey(byte[] keyId, byte[] seed, byte[] publicKey) {
        public PublicKey publicKeyOf() {
            return new PublicKey(keyId, publicKey);
        }

        @Override
        public String toString() {
            return "minisign secret key " + keyIdHex(keyId);
        }
    }

    /** A checked signature: the signer's key id and the trusted comment. */
    public record Verified(String keyId, String trustedComment) {
    }

    /** A new key pair from the system's secure random source. */
    public static SecretKey generate() {
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(RANDOM);
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return new SecretKey(id, sk.getEncoded(), sk.generatePublicKey().getEncoded());
    }

    /**
     * The text of a secret key file: unencrypted when {@code passphrase} is null (minisign {@code -W}), else
     * encrypted under it with minisign's scrypt limits (1 GiB of memory: takes seconds).
     */
    public static String secretKeyFile(SecretKey k, byte[] passphrase) throws IOException {
        byte[] sk = concat(k.seed(), k.publicKey());
        byte[] keynum = concat(k.keyId(), sk, new byte[32]);
        byte[] salt = new byte[32];
        long ops = 0;
        long mem = 0;
        if (passphrase != null) {
            RANDOM.nextBytes(salt);
            ops = OPSLIMIT;
            mem = MEMLIMIT;
            System.arraycopy(checksum(k.keyId(), sk), 0, keynum, 72, 32);
            xor(keynum, kdf(passphrase, salt, ops, mem));
        }
        byte[] s = concat(ED, passphrase != null ? SCRYPT : NO_KDF, B2, salt, le64(ops), le64(mem), keynum);
        return COMMENT + "minisign encrypted secret key\n" + Base64.getEncoder().encodeToString(s) + "\n";
    }

    /**
     * Reads a public key: a minisign public key file's text (comment line, then the key) or the {@code RWQ...} string.
     *
     * @throws IOException (with {@code where} in the message) if it is not one
     */
    public static PublicKey parsePublicKey(String text, String where) throws IOException {
        String line = keyLine(text);
        byte[] b = decode(line, where);
        if (b == null || b.length != 42) {
            throw new CorruptDataException(where + ": not a minisign public key", -1, -1);
        }
        if (!Arrays.equals(Arrays.copyOf(b, 2), ED)) {
            throw new UnsupportedFormatException(where + ": signature algorithm of the key is not Ed25519");
        }
        return new PublicKey(Arrays.copyOfRange(b, 2, 10), Arrays.copyOfRange(b, 10, 42));
    }

    /** {@link #parsePublicKey} of a file, or of the string itself when no such file exists. */
    public static PublicKey readPublicKey(String fileOrKey) throws IOException {
        Path p = Path.of(fileOrKey);
        if (Files.isRegularFile(p)) {
            return parsePublicKey(readSmall(p), fileOrKey);
        }
        if (fileOrKey.startsWith("RW")) {
            return parsePublicKey(fileOrKey, "public key");
        }
        throw new java.nio.file.NoSuchFileException(fileOrKey);
    }

    /**
     * Reads a secret key file; {@code passphrase} is asked only for an encrypted one.
     *
     * @throws AuthenticationFailedException a wrong passphrase (the checksum does not match)
     */
    public static SecretKey readSecretKey(Path file, Supplier<byte[]> passphrase) throws IOException {
        String where = file.toString();
        byte[] b = decode(keyLine(readSmall(file)), where);
        if (b == null || b.length != SECRET_STRUCT) {
            throw new CorruptDataException(where + ": not a minisign secret key", -1, -1);
        }
        if (!Arrays.equals(Arrays.copyOf(b, 2), ED) || !Arrays.equals(Arrays.copyOfRange(b, 4, 6), B2)) {
            throw new UnsupportedFormatException(where + ": not an Ed25519 key with a BLAKE2b checksum");
        }
        byte[] kdf = Arrays.copyOfRange(b, 2, 4);
        byte[] salt = Arrays.copyOfRange(b, 6, 38);
        long ops = le64(b, 38);
        long mem = le64(b, 46);
        byte[] keynum = Arrays.copyOfRange(b, 54, 54 + KEYNUM_SK);
        if (Arrays.equals(kdf, SCRYPT)) {
            byte[] pw = passphrase.get();
            xor(keynum, kdf(pw, salt, ops, mem));
            Arrays.fill(pw, (byte) 0);
            byte[] sk = Arrays.copyOfRange(keynum, 8, 72);
            if (!MessageDigest.isEqual(checksum(Arrays.copyOf(keynum, 8), sk), Arrays.copyOfRange(keynum, 72, 104))) {
                throw new AuthenticationFailedException(where + ": wrong passphrase for this secret key");
            }
        } else if (!Arrays.equals(kdf, NO_KDF)) {
            throw new UnsupportedFormatException(where + ": unknown key derivation of the secret key");
        }
        byte[] seed = Arrays.copyOfRange(keynum, 8, 40);
        byte[] pk = Arrays.copyOfRange(keynum, 40, 72);
        if (!Arrays.equals(new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded(), pk)) {
            throw new CorruptDataException(where + ": the secret key does not match its public half", -1, -1);
        }
        return new SecretKey(Arrays.copyOf(keynum, 8), seed, pk);
    }

    /** Whether the secret key file {@code file} is encrypted (needs a passphrase). */
    public static boolean isEncrypted(Path file) throws IOException {
        byte[] b = decode(keyLine(readSmall(file)), file.toString());
        return b != null && b.length == SECRET_STRUCT && b[2] == 'S' && b[3] == 'c';
    }

    /**
     * The text of the signature file of {@code in} (read to its end), as {@code minisign -S} writes it; the trusted
     * comment is {@code trustedComment}, or minisign's default for {@code fileName}.
     */
    public static String sign(InputStream in, String fileName, SecretKey key, String trustedComment)
            throws IOException {
        String trusted = trustedComment != null ? trustedComment : "timestamp:" + System.currentTimeMillis() / 1000
                + "\tfile:" + fileName + "\thashed";
        if (trusted.contains("\n") || trusted.contains("\r")) {
            throw new IllegalArgumentException("a trusted comment is one line");
        }
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(key.seed());
        byte[] sig = ed25519(sk, blake2b(in));
        byte[] global = ed25519(sk, concat(sig, trusted.getBytes(StandardCharsets.UTF_8)));
        Base64.Encoder e = Base64.getEncoder();
        return COMMENT + "signature from mmh secret key " + keyIdHex(key.keyId()) + "\n"
                + e.encodeToString(concat(ED_HASHED, key.keyId(), sig)) + "\n" + TRUSTED + trusted + "\n"
                + e.encodeToString(global) + "\n";
    }

    /**
     * Checks the signature file text {@code sig} over {@code in} (read to its end) with {@code key}.
     *
     * @throws AuthenticationFailedException the key id differs, or either signature does not verify
     * @throws CorruptDataException the signature file is not one
     */
    public static Verified verify(InputStream in, String sig, PublicKey key, String where) throws IOException {
        List<String> lines = sig.lines().toList();
        if (lines.size() < 4 || !lines.get(0).startsWith(COMMENT) || !lines.get(2).startsWith(TRUSTED)) {
            throw new CorruptDataException(where + ": not a minisign signature file", -1, -1);
        }
        byte[] s = decode(lines.get(1).strip(), where);
        byte[] global = decode(lines.get(3).strip(), where);
        if (s == null || s.length != 74 || global == null || global.length != 64) {
            throw new CorruptDataException(where + ": not a minisign signature file", -1, -1);
        }
        boolean hashed = Arrays.equals(Arrays.copyOf(s, 2), ED_HASHED);
        if (!hashed && !Arrays.equals(Arrays.copyOf(s, 2), ED)) {
            throw new UnsupportedFormatException(where + ": unknown signature algorithm");
        }
        byte[] id = Arrays.copyOfRange(s, 2, 10);
        if (!Arrays.equals(id, key.keyId())) {
            throw new AuthenticationFailedException(where + ": signed by key " + keyIdHex(id) + ", not by "
                    + key.id());
        }
        byte[] signature = Arrays.copyOfRange(s, 10, 74);
        Ed25519PublicKeyParameters pk = new Ed25519PublicKeyParameters(key.key());
        byte[] message = hashed ? blake2b(in) : readLegacy(in, where);
        if (!ed25519Verify(pk, message, signature)) {
            throw new AuthenticationFailedException(where + ": the signature does not match the file");
        }
        String trusted = lines.get(2).substring(TRUSTED.length());
        if (!ed25519Verify(pk, concat(signature, trusted.getBytes(StandardCharsets.UTF_8)), global)) {
            throw new AuthenticationFailedException(where + ": the trusted comment's signature does not match");
        }
        return new Verified(keyIdHex(id), trusted);
    }

    private static byte[] readLegacy(InputStream in, String where) throws IOException {
        byte[] b = in.readNBytes(1 << 30);
        if (in.read() >= 0) {
            throw new LimitExceededException(where + ": a legacy (not prehashed) signature of a file over 1 GiB",
                    1L << 30, 1L << 30);
        }
        return b;
    }

    static byte[] blake2b(InputStream in) throws IOException {
        Blake2bDigest d = new Blake2bDigest(512);
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            d.update(buf, 0, n);
        }
        byte[] out = new byte[64];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] ed25519(Ed25519PrivateKeyParameters sk, byte[] message) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, sk);
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    private static boolean ed25519Verify(Ed25519PublicKeyParameters pk, byte[] message, byte[] signature) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(false, pk);
        s.update(message, 0, message.length);
        return s.verifySignature(signature);
    }

    /** BLAKE2b-256 of the signature algorithm, key id and secret key: minisign's check of a decrypted key. */
    private static byte[] checksum(byte[] keyId, byte[] sk) {
        Blake2bDigest d = new Blake2bDigest(256);
        d.update(ED, 0, 2);
        d.update(keyId, 0, keyId.length);
        d.update(sk, 0, sk.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** libsodium's crypto_pwhash_scryptsalsa208sha256 of the passphrase: 104 bytes to XOR the key with. */
    static byte[] kdf(byte[] passphrase, byte[] salt, long opslimit, long memlimit) throws LimitExceededException {
        int[] p = pickParams(opslimit, memlimit);
        long memory = 128L * p[1] << p[0];
        if (p[0] > 24 || memory > Runtime.getRuntime().maxMemory() * 3 / 4) {
            throw new LimitExceededException("the secret key's scrypt (memory)", memory,
                    Runtime.getRuntime().maxMemory() * 3 / 4);
        }
        return SCrypt.generate(passphrase, salt, 1 << p[0], p[1], p[2], KEYNUM_SK);
    }

    /** libsodium's pickparams: {log2 N, r, p} for the limits. */
    static int[] pickParams(long opslimit, long memlimit) {
        long ops = Math.max(opslimit, 32768);
        int r = 8;
        int logN;
        int p;
        if (ops < memlimit / 32) {
            p = 1;
            long maxN = ops / (r * 4L);
            for (logN = 1; logN < 63; logN++) {
                if ((1L << logN) > maxN / 2) {
                    break;
                }
            }
        } else {
            long maxN = memlimit / (r * 128L);
            for (logN = 1; logN < 63; logN++) {
                if ((1L << logN) > maxN / 2) {
                    break;
                }
            }
            long maxrp = (ops / 4) / (1L << logN);
            p = (int) (Math.min(maxrp, 0x3fffffff) / r);
        }
        return new int[] {logN, r, p};
    }

    private static String keyLine(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        return lines.get(0).startsWith(COMMENT) ? (lines.size() > 1 ? lines.get(1) : "") : lines.get(0);
    }

    private static byte[] decode(String s, String where) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String readSmall(Path p) throws IOException {
        long size = Files.size(p);
        if (size > MAX_KEY_FILE) {
            throw new CorruptDataException(p + ": " + size + " bytes, too long for a key file", -1, -1);
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static String keyIdHex(byte[] id) {
        long v = le64(id, 0);
        return String.format(Locale.ROOT, "%016X", v);
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static void xor(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] ^= b[i];
        }
    }

    private static byte[] concat(byte[]... parts) {
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
}
