package dev.mmh.crypto;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.crypto.age.Age;
import dev.mmh.crypto.age.Identity;
import dev.mmh.crypto.age.Recipient;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of one encrypted archive and what they do (docs/FORMAT.md, "Encrypted archives"): the {@code E}
 * section's body (an age header wrapping a random 16-byte file key for each recipient, and a salt), the block key
 * that seals each block's stored bytes with AES-256-GCM under a random 96-bit nonce and the block header as
 * associated data, and the MAC key that turns each block's raw hash into a keyed one (so the archive shows no hash
 * of its plaintext) and authenticates the archive's end (the {@code A} section: block count, total size, content
 * ID), so truncation and a swapped index are caught.
 *
 * <p>Both keys are derived from the file key with HKDF-SHA-256 (salt from the {@code E} section), their labels
 * bound to the first 32 bytes of the file header, so a changed header fails every block. Nonces are drawn at random
 * for every block written, by whatever write (compress, append): no counter has to survive a crash, and with at
 * most 2^26 blocks an archive stays far below the 2^32 messages NIST allows per key with random nonces. Protect and
 * repair never re-encrypt (they work on the ciphertext), so they draw none.
 *
 * <p>Thread-safe: the keys are immutable; each worker passes its own {@link CryptoContext}.
 */
public final class ArchiveCipher {
    /** Version of the {@code E} section body. */
    public static final int VERSION = 1;
    /** Bytes of the {@code E} body before the age header: version, AEAD id, reserved, 16-byte salt. */
    public static final int E_FIXED = 20;
    /** Bytes of the {@code A} section's body. */
    public static final int AUTH_BODY = 8 + 8 + 32 + 32;
    /** The longest {@code E} body a reader accepts (an age header of many post-quantum stanzas fits). */
    public static final int MAX_E_BODY = E_FIXED + (1 << 20);
    private static final int NONCE = CryptoContext.AEAD_NONCE_LENGTH;
    /** AEAD ids of the E body. */
    private static final int AES_256_GCM = 1;
    private static final int CHACHA20_POLY1305 = 2;
    /** E body flag (byte 2): every block's sealed contents are padded to a Padmé length. */
    private static final int FLAG_PADDED = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CryptoContext.Aead aead;
    private final byte[] blockKey;
    private final byte[] macKey;
    /** Seals a folder archive's blob tables and manifests (docs/FORMAT.md, "Encrypted folder archives"). */
    private final byte[] sectionKey;
    /** Keys a folder archive's blob IDs (HMAC-SHA-256), so identical chunks dedup but IDs reveal nothing. */
    private final byte[] blobIdKey;
    private final byte[] eBody;
    private final String opened;
    private final boolean padded;

    private ArchiveCipher(CryptoContext.Aead aead, byte[] blockKey, byte[] macKey, byte[] sectionKey,
            byte[] blobIdKey, byte[] eBody, String opened) {
        this.padded = (eBody[2] & FLAG_PADDED) != 0;
        this.aead = aead;
        this.blockKey = blockKey;
        this.macKey = macKey;
        this.sectionKey = sectionKey;
        this.blobIdKey = blobIdKey;
        this.eBody = eBody;
        this.opened = opened;
    }

    /**
     * New keys for an archive whose file header starts with {@code header} (at least 32 bytes), wrapped for {@code
     * recipients}.
     *
     * @throws IllegalArgumentException no recipient, or recipients that cannot be combined (as age says)
     */
    public static ArchiveCipher create(List<? extends Recipient> recipients, byte[] header) {
        return create(recipients, header, false);
    }

    /**
     * As {@link #create(List, byte[])}; with {@code pad} every block's sealed contents are padded to a Padmé length
     * ({@link Format#padme}), so stored sizes say less about how well each block compressed.
     */
    public static ArchiveCipher create(List<? extends Recipient> recipients, byte[] header, boolean pad) {
        byte[][] wrapped = Age.wrapNewFileKey(recipients);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] body = new byte[E_FIXED + wrapped[1].length];
        body[0] = VERSION;
        body[1] = AES_256_GCM;
        body[2] = (byte) (pad ? FLAG_PADDED : 0);
        System.arraycopy(salt, 0, body, 4, 16);
        System.arraycopy(wrapped[1], 0, body, E_FIXED, wrapped[1].length);
        ArchiveCipher c = derive(wrapped[0], body, header, null);
        Arrays.fill(wrapped[0], (byte) 0);
        return c;
    }

    /**
     * The keys of an archive whose {@code E} section body is {@code eBody} and file header starts with {@code header},
     * opened with the first of {@code identities} that matches.
     *
     * @throws AuthenticationFailedException no identity opens it (wrong key or passphrase), or its header's MAC fails
     * @throws CorruptDataException a malformed body
     * @throws UnsupportedFormatException a body version or AEAD this build does not know
     */
    public static ArchiveCipher open(byte[] eBody, byte[] header, List<? extends Identity> identities,
            long eOffset) throws IOException {
        checkFixed(eBody, eOffset);
        if (identities.isEmpty()) {
            throw new AuthenticationFailedException("the archive is encrypted: give an identity (-i FILE) or a "
                    + "passphrase (--passphrase)");
        }
        byte[] fileKey;
        try {
            fileKey = Age.unwrapFileKey(Arrays.copyOfRange(eBody, E_FIXED, eBody.length), identities);
        } catch (dev.mmh.crypto.age.AgeHeaderException e) {
            throw new CorruptDataException("encryption section: " + e.getMessage(), eOffset, -1);
        }
        String type = String.join(",", Age.stanzaTypes(Arrays.copyOfRange(eBody, E_FIXED, eBody.length)));
        ArchiveCipher c = derive(fileKey, eBody.clone(), header, type);
        Arrays.fill(fileKey, (byte) 0);
        return c;
    }

    /** The stanza types of an {@code E} body's age header, each once ({@code X25519}, {@code scrypt}, ...). */
    public static List<String> recipientTypes(byte[] eBody, long eOffset) throws IOException {
        checkFixed(eBody, eOffset);
        try {
            return Age.stanzaTypes(Arrays.copyOfRange(eBody, E_FIXED, eBody.length));
        } catch (dev.mmh.crypto.age.AgeHeaderException e) {
            throw new CorruptDataException("encryption section: " + e.getMessage(), eOffset, -1);
        }
    }

    /** How many recipients (stanzas) an {@code E} body's age header has. */
    public static int recipientCount(byte[] eBody, long eOffset) throws IOException {
        checkFixed(eBody, eOffset);
        return Age.stanzaCount(Arrays.copyOfRange(eBody, E_FIXED, eBody.length));
    }

    /** The AEAD an {@code E} body names, as {@code mmh info} shows it. */
    public static String aeadName(byte[] eBody) {
        return eBody.length > 1 && eBody[1] == CHACHA20_POLY1305 ? "ChaCha20-Poly1305" : "AES-256-GCM";
    }

    private static void checkFixed(byte[] eBody, long eOffset) throws IOException {
        if (eBody.length < E_FIXED + 1) {
            throw new CorruptDataException("encryption section too short", eOffset, -1);
        }
        if (eBody[0] != VERSION) {
            throw Format.unsupported("encryption section version " + (eBody[0] & 0xff), eOffset, -1);
        }
        if (eBody[1] != AES_256_GCM && eBody[1] != CHACHA20_POLY1305) {
            throw Format.unsupported("encryption section AEAD " + (eBody[1] & 0xff), eOffset + 1, -1);
        }
        Format.requireKnownBits("flags of the encryption section", eBody[2] & 0xff, FLAG_PADDED, eOffset + 2);
        Format.requireKnownBits("reserved field of the encryption section", eBody[3] & 0xff, 0, eOffset + 3);
    }

    private static ArchiveCipher derive(byte[] fileKey, byte[] eBody, byte[] header, String opened) {
        byte[] salt = Arrays.copyOfRange(eBody, 4, 20);
        byte[] prk = Hkdf.extract(salt, fileKey);
        byte[] blockKey = Hkdf.expand(prk, label("mmh v1 block key", header), 32);
        byte[] macKey = Hkdf.expand(prk, label("mmh v1 mac key", header), 32);
        byte[] sectionKey = Hkdf.expand(prk, label("mmh v1 section key", header), 32);
        byte[] blobIdKey = Hkdf.expand(prk, label("mmh v1 blob id key", header), 32);
        Arrays.fill(prk, (byte) 0);
        CryptoContext.Aead aead = eBody[1] == CHACHA20_POLY1305 ? CryptoContext.Aead.CHACHA20_POLY1305
                : CryptoContext.Aead.AES_256_GCM;
        return new ArchiveCipher(aead, blockKey, macKey, sectionKey, blobIdKey, eBody, opened);
    }

    /** An HKDF label bound to the header fields every layout shares (bytes 0..31: all but a folder's commit point). */
    private static byte[] label(String name, byte[] header) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] l = Arrays.copyOf(n, n.length + 32);
        System.arraycopy(header, 0, l, n.length, 32);
        return l;
    }

    /** The {@code E} section's body. */
    public byte[] encryptionBody() {
        return eBody.clone();
    }

    /** Whether blocks are padded ({@code --pad}). */
    public boolean padded() {
        return padded;
    }

    /** The stored size of a block whose codec output is {@code len} bytes: nonce, contents (padded or not), tag. */
    public long sealedSize(long len) {
        return (padded ? Format.padme(len + 4) : len) + Format.SEAL_OVERHEAD;
    }

    /** The stanza type that opened the archive ({@code X25519}, ...), or {@code null} for new keys. */
    public String openedBy() {
        return opened;
    }

    /**
     * The keyed raw hash of block {@code number} whose plain raw hash is {@code rawHash}: the first {@code
     * rawHash.length} bytes of HMAC-SHA-256(MAC key, "B" || u64 number || rawHash).
     */
    public byte[] keyedHash(CryptoContext c, long number, byte[] rawHash) {
        byte[] in = new byte[1 + 8 + rawHash.length];
        in[0] = 'B';
        LE.put64(in, 1, number);
        System.arraycopy(rawHash, 0, in, 9, rawHash.length);
        return Arrays.copyOf(c.hmacSha256(macKey, in, 0, in.length), rawHash.length);
    }

    /**
     * Seals a block in place: {@code buf[at + 12, at + 12 + len)} holds the codec output; writes a fresh nonce at
     * {@code at} and the ciphertext and tag after it, authenticating {@code aad[0, aadLen)} (the block header without
     * its CRC). Returns the stored size, {@code len + 28}.
     */
    public int seal(CryptoContext c, byte[] aad, int aadLen, byte[] buf, int at, int len) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, buf, at, NONCE);
        int contents = len;
        if (padded) {
            // codec output, zeros, and the codec output's length in the last 4 bytes: all of it sealed
            contents = (int) Format.padme(len + 4L);
            Arrays.fill(buf, at + NONCE + len, at + NONCE + contents - 4, (byte) 0);
            LE.put32(buf, at + NONCE + contents - 4, len);
        }
        c.seal(aead, blockKey, nonce, aad, 0, aadLen, buf, at + NONCE, contents, buf, at + NONCE);
        return contents + Format.SEAL_OVERHEAD;
    }

    /**
     * Opens a sealed block in place: {@code buf[0, stored)} as {@link #seal} wrote it; the plaintext is then at
     * {@code buf[12, stored - 16)}.
     *
     * @return the plaintext's length
     * @throws AuthenticationFailedException the block was altered, moved, or belongs to another archive
     */
    public int open(CryptoContext c, byte[] aad, int aadLen, byte[] buf, int stored, long offset, long number)
            throws IOException {
        if (stored < Format.SEAL_OVERHEAD) {
            throw new CorruptDataException("sealed block shorter than its nonce and tag", offset, number);
        }
        byte[] nonce = Arrays.copyOf(buf, NONCE);
        int n;
        try {
            n = c.open(aead, blockKey, nonce, aad, 0, aadLen, buf, NONCE, stored - NONCE, buf, NONCE);
        } catch (AuthenticationFailedException e) {
            throw new AuthenticationFailedException("block " + number + " at offset " + offset
                    + " fails authentication (altered, moved, or from another archive)");
        }
        if (padded) {
            int len = n < 4 ? -1 : LE.get32(buf, NONCE + n - 4);
            if (len < 0 || len > n - 4) {
                // sealed by a writer with the key, so not damage: a writer that did not follow the format
                throw new CorruptDataException("padded block declares " + len + " bytes of " + n, offset, number);
            }
            return len;
        }
        return n;
    }

    /** The {@code A} section's body for an archive of {@code blocks} blocks, {@code total} raw bytes and its ID. */
    public byte[] authBody(CryptoContext c, long blocks, long total, byte[] contentId) {
        byte[] b = new byte[AUTH_BODY];
        LE.put64(b, 0, blocks);
        LE.put64(b, 8, total);
        System.arraycopy(contentId, 0, b, 16, 32);
        System.arraycopy(authTag(c, b), 0, b, 48, 32);
        return b;
    }

    /**
     * Checks an {@code A} body against what the reader found: its tag under this archive's key, then the block count,
     * total size and content ID.
     *
     * @throws AuthenticationFailedException any disagreement: the archive was truncated, extended or altered
     */
    public void checkAuth(CryptoContext c, byte[] body, long blocks, long total, byte[] contentId, long offset)
            throws IOException {
        if (body == null) {
            throw new AuthenticationFailedException("the archive has no authentication section: it was truncated or "
                    + "altered");
        }
        if (body.length != AUTH_BODY) {
            throw new CorruptDataException("authentication section of " + body.length + " bytes (expected "
                    + AUTH_BODY + ")", offset, -1);
        }
        if (!MessageDigest.isEqual(authTag(c, body), Arrays.copyOfRange(body, 48, 80))) {
            throw new AuthenticationFailedException("the authentication section at offset " + offset
                    + " does not match the key (altered, or from another archive)");
        }
        if (LE.get64(body, 0) != blocks || LE.get64(body, 8) != total
                || !Arrays.equals(body, 16, 48, contentId, 0, 32)) {
            throw new AuthenticationFailedException("the archive's blocks are not the ones it was written with ("
                    + blocks + " blocks, " + total + " bytes; sealed for " + LE.get64(body, 0) + " blocks, "
                    + LE.get64(body, 8) + " bytes): truncated, extended or reordered");
        }
    }

    /**
     * The key of a folder archive's blob IDs (HMAC-SHA-256 of a blob's bytes under it), a copy: HKDF-Expand(PRK,
     * "mmh v1 blob id key" || header bytes 0..31, 32).
     */
    public byte[] blobIdKey() {
        return blobIdKey.clone();
    }

    /**
     * Seals a section body: nonce (12 bytes, fresh and random) || AEAD ciphertext of {@code plain} || tag (16), under
     * the section key (HKDF label "mmh v1 section key"), authenticating {@code aad} (the section's type and place).
     *
     * @return a new array of {@code plain.length + 28} bytes
     */
    public byte[] sealSection(CryptoContext c, byte[] aad, byte[] plain) {
        byte[] out = new byte[plain.length + Format.SEAL_OVERHEAD];
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 0, NONCE);
        c.seal(aead, sectionKey, nonce, aad, 0, aad.length, plain, 0, plain.length, out, NONCE);
        return out;
    }

    /**
     * Opens what {@link #sealSection} made.
     *
     * @param what the section, for the message
     * @return the plaintext, a new array
     * @throws AuthenticationFailedException altered, moved, or from another archive
     */
    public byte[] openSection(CryptoContext c, byte[] aad, byte[] sealed, String what) throws IOException {
        if (sealed.length < Format.SEAL_OVERHEAD) {
            throw new AuthenticationFailedException(what + " is shorter than its nonce and tag");
        }
        byte[] plain = new byte[sealed.length - Format.SEAL_OVERHEAD];
        try {
            c.open(aead, sectionKey, Arrays.copyOf(sealed, NONCE), aad, 0, aad.length, sealed, NONCE,
                    sealed.length - NONCE, plain, 0);
        } catch (AuthenticationFailedException e) {
            throw new AuthenticationFailedException(what + " fails authentication (altered, moved, or from another "
                    + "archive)");
        }
        return plain;
    }

    private byte[] authTag(CryptoContext c, byte[] body) {
        byte[] in = new byte[1 + 48];
        in[0] = 'A';
        System.arraycopy(body, 0, in, 1, 48);
        return c.hmacSha256(macKey, in, 0, in.length);
    }
}
