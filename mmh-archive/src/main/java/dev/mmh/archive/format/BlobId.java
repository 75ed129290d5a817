package dev.mmh.archive.format;

import java.util.Arrays;

/**
 * A blob's 32-byte ID: SHA-256 of its bytes (HMAC-SHA-256 under the archive's ID key when encrypted). Ordered as
 * unsigned bytes, the order of blob tables. Immutable.
 */
public final class BlobId implements Comparable<BlobId> {
    public static final int LENGTH = 32;
    /** The ID of a hole in a sparse file: 32 zero bytes (not a blob; nothing is stored). */
    public static final BlobId HOLE = new BlobId(new byte[LENGTH]);

    private final byte[] b;
    private final int hash;

    private BlobId(byte[] b) {
        this.b = b;
        this.hash = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    /** The ID in {@code src[off, off + 32)} (copied). */
    public static BlobId of(byte[] src, int off) {
        return new BlobId(Arrays.copyOfRange(src, off, off + LENGTH));
    }

    /** The ID whose bytes are {@code src}, which must be 32 bytes long (copied). */
    public static BlobId of(byte[] src) {
        if (src.length != LENGTH) {
            throw new IllegalArgumentException("a blob ID has 32 bytes, not " + src.length);
        }
        return new BlobId(src.clone());
    }

    /** The ID written as 64 hex digits. */
    public static BlobId parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a blob ID has 64 hex digits: " + hex);
        }
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit in " + hex);
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return new BlobId(b);
    }

    public boolean isHole() {
        return equals(HOLE);
    }

    /** Copies the 32 bytes to {@code dst[off, off + 32)}. */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(b, 0, dst, off, LENGTH);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return b.clone();
    }

    /** The first 8 bytes as a big-endian long (a good hash-table key: the ID is uniformly distributed). */
    public long prefix() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | b[i] & 0xff;
        }
        return v;
    }

    /** Compares with the ID in {@code other[off, off + 32)}, as unsigned bytes. */
    public int compareTo(byte[] other, int off) {
        return Arrays.compareUnsigned(b, 0, LENGTH, other, off, off + LENGTH);
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(b, o.b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId id && hash == id.hash && Arrays.equals(b, id.b);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** All 64 hex digits. */
    public String hex() {
        return dev.mmh.format.Format.hex(b);
    }

    /** The first 12 hex digits, for messages. */
    public String shortHex() {
        return hex().substring(0, 12);
    }

    @Override
    public String toString() {
        return hex();
    }
}
