package dev.mmh.hash;

import dev.mmh.UnsupportedFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The hash of each block's raw bytes, recorded in block headers and the index, and the leaves of the Merkle
 * tree that gives the archive's content ID.
 *
 * <p>{@link #XXH64} (the default, as in zstd's frame checksum) catches every accidental change at memory speed;
 * {@link #SHA256} also resists deliberate collisions, for content IDs that must be unforgeable. Both are
 * thread-safe.
 */
public enum ContentHash {
    /** XXH64 with seed 0, stored little-endian (8 bytes). */
    XXH64(1, 8),
    /** SHA-256 (32 bytes). */
    SHA256(2, 32);

    private final int id;
    private final int length;

    ContentHash(int id, int length) {
        this.id = id;
        this.length = length;
    }

    /** Id written into the archive header. */
    public int id() {
        return id;
    }

    /** Length of a hash in bytes. */
    public int length() {
        return length;
    }

    public static ContentHash byId(int id) throws UnsupportedFormatException {
        for (ContentHash h : values()) {
            if (h.id == id) {
                return h;
            }
        }
        throw new UnsupportedFormatException("unknown hash algorithm id " + id);
    }

    /** Hashes {@code b[off, off+len)} into {@code out[outOff, outOff+length())}. */
    public void hash(byte[] b, int off, int len, byte[] out, int outOff) {
        if (this == XXH64) {
            long h = Xxh.HASH.hash(b, off, len, 0L);
            for (int i = 0; i < 8; i++) {
                out[outOff + i] = (byte) (h >>> (8 * i));
            }
        } else {
            MessageDigest md = Sha.get();
            md.update(b, off, len);
            byte[] d = md.digest();
            System.arraycopy(d, 0, out, outOff, d.length);
        }
    }

    /** Returns the hash of {@code b[off, off+len)}. */
    public byte[] hash(byte[] b, int off, int len) {
        byte[] out = new byte[length];
        hash(b, off, len, out, 0);
        return out;
    }

    /**
     * Makes the JDK set up its SHA-256 provider now (the content ID of every archive is a SHA-256 Merkle root):
     * the first {@code MessageDigest.getInstance} reads the security configuration and builds the provider list,
     * 10-15 ms that a command line tool can spend on a spare core while it parses its arguments and opens files.
     * Only the calling thread's digest is created; other threads still make their own.
     */
    public static void warmUpSha256() {
        Sha.get();
    }

    /** Whether the native xxhash (lz4-java's JNI build) is in use rather than its Java fallback. */
    public static boolean xxhashIsNative() {
        return Xxh.HASH.getClass().getSimpleName().contains("JNI");
    }

    private static final class Xxh {
        static final XXHash64 HASH = XXHashFactory.fastestInstance().hash64();
    }

    static final class Sha {
        private static final ThreadLocal<MessageDigest> MD = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        });

        static MessageDigest get() {
            MessageDigest md = MD.get();
            md.reset();
            return md;
        }
    }
}
