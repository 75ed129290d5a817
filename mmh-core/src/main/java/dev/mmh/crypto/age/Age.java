package dev.mmh.crypto.age;

import dev.mmh.crypto.CryptoContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Encrypts and decrypts age v1 files (c2sp.org/age), binary or armored: the library behind {@code mmh encrypt} and
 * {@code mmh decrypt}, interoperable with {@code age} and {@code rage}. The payload's chunks are sealed and opened on
 * {@code threads} worker threads ({@link AgeStream}); the bytes do not depend on the thread count, but they do on the
 * randomness every encryption draws (file key, stanza secrets, payload nonce): two encryptions of one input differ.
 *
 * <p>Streams are the caller's: neither method closes them. Thread-safe (no shared state).
 */
public final class Age {
    private Age() {
    }

    /**
     * Encrypts {@code in} to {@code out} for every one of {@code recipients}.
     *
     * @param armor write ASCII armor instead of binary
     * @throws IllegalArgumentException no recipient, or a passphrase recipient together with another
     */
    public static void encrypt(InputStream in, OutputStream out, List<? extends Recipient> recipients, boolean armor,
            int threads) throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipient");
        }
        if (recipients.size() > 1 && recipients.stream().anyMatch(Recipient::mustBeAlone)) {
            throw new IllegalArgumentException("a passphrase cannot be combined with other recipients");
        }
        byte[] fileKey = Wrap.random(Wrap.FILE_KEY_SIZE);
        List<Stanza> stanzas = new java.util.ArrayList<>();
        for (Recipient r : recipients) {
            stanzas.addAll(r.wrap(fileKey));
        }
        byte[] header = AgeHeader.write(stanzas, fileKey);
        byte[] nonce = Wrap.random(AgeStream.NONCE_SIZE);
        byte[] key = AgeStream.payloadKey(fileKey, nonce);
        java.util.Arrays.fill(fileKey, (byte) 0);
        Armor.Writer a = armor ? Armor.writer(out) : null;
        OutputStream o = a != null ? a : out;
        o.write(header);
        o.write(nonce);
        AgeStream.encrypt(key, in, o, threads);
        java.util.Arrays.fill(key, (byte) 0);
        if (a != null) {
            a.finish();
        }
        out.flush();
    }

    /**
     * Decrypts the age file {@code in} (binary or armored, told apart by its first bytes) to {@code out} with the
     * first of {@code identities} that opens a stanza. Every chunk is authenticated before it is written; when one
     * fails, the chunks before it have been written and the exception is thrown: a caller that must not release
     * unauthenticated-as-a-whole output writes to a temporary file and keeps it only on success.
     *
     * @return the type of the stanza that opened the file ({@code X25519}, {@code scrypt}, {@code mlkem768x25519})
     * @throws dev.mmh.NotMmhFormatException not an age file
     * @throws AgeArmorException bad armor
     * @throws AgeHeaderException a malformed header, or a malformed stanza of an identity's type
     * @throws AgeAuthException no identity matches, the header's MAC does not match, or the payload is altered,
     *     truncated or extended
     */
    public static String decrypt(InputStream in, OutputStream out, List<? extends Identity> identities, int threads)
            throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(1024);
        byte[] start = b.readNBytes(1024);
        b.reset();
        InputStream src = Armor.isArmor(start, start.length) ? new BufferedInputStream(Armor.reader(b), 1 << 16) : b;
        AgeHeader h = AgeHeader.read(src);
        List<Stanza> stanzas = h.stanzas();
        Set<String> types = new LinkedHashSet<>();
        for (Stanza s : stanzas) {
            types.add(s.type());
        }
        if (types.contains(ScryptRecipient.TYPE) && stanzas.size() > 1) {
            throw new AgeHeaderException("an scrypt stanza must be the only one in its header", -1);
        }
        byte[] fileKey = null;
        String opened = null;
        for (Identity id : identities) {
            fileKey = id.unwrap(stanzas);
            if (fileKey != null) {
                opened = id instanceof ScryptIdentity ? ScryptRecipient.TYPE : id instanceof HybridIdentity
                        ? HybridRecipient.TYPE : X25519Recipient.TYPE;
                break;
            }
        }
        if (fileKey == null) {
            boolean passphrase = types.contains(ScryptRecipient.TYPE)
                    && identities.stream().anyMatch(i -> i instanceof ScryptIdentity);
            throw new AgeAuthException(AgeAuthException.Kind.NO_MATCH, passphrase ? "wrong passphrase"
                    : "no identity matches a recipient of this file (its stanzas: " + String.join(", ", types) + ")");
        }
        if (!h.macMatches(fileKey)) {
            throw new AgeAuthException(AgeAuthException.Kind.HEADER_MAC,
                    "age header: its MAC does not match (the header was altered)");
        }
        byte[] nonce = src.readNBytes(AgeStream.NONCE_SIZE);
        if (nonce.length != AgeStream.NONCE_SIZE) {
            throw new AgeHeaderException("the file ends before the payload nonce", h.length());
        }
        byte[] key = AgeStream.payloadKey(fileKey, nonce);
        java.util.Arrays.fill(fileKey, (byte) 0);
        AgeStream.decrypt(key, src, out, threads, h.length() + AgeStream.NONCE_SIZE);
        java.util.Arrays.fill(key, (byte) 0);
        out.flush();
        return opened;
    }

    /** Whether the AEAD of the payload runs on OpenSSL ({@code libmmhcrypto.so}) here, else on the JDK. */
    public static boolean nativeAead() {
        try (CryptoContext c = CryptoContext.open()) {
            return c.isNative();
        }
    }
}
