package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.codec.CodecParams;
import dev.mmh.hash.ContentHash;
import java.util.Arrays;

/**
 * The 40-byte file header (docs/FORMAT.md, "File header"): what the writer was asked for. Blocks carry their own
 * codec ids, so the codec fields here are the defaults the run used and the window the decoder must allow.
 *
 * @param hash hash of each block's raw bytes
 * @param codecId codec the run asked for (blocks may differ, e.g. stored when incompressible)
 * @param params level, window log and flags of that codec
 * @param blockSize nominal raw block size: no block is larger
 * @param goal informative: 0 when the user gave the codec, else 1 + the {@code Goal} ordinal (fast, default, max)
 *     under which mmh chose per block; the codec id is then {@link #AUTO}
 * @param compact whether this is the 32-byte header of the compact layout (docs/FORMAT.md, "Compact layout"): one
 *     block section follows it and ends the file, with no index or footer
 */
public record FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal,
        boolean compact) {
    /** Codec id of the header when blocks were chosen by analysis. */
    public static final int AUTO = 255;

    /** A header of the full layout. */
    public FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal) {
        this(hash, codecId, params, blockSize, goal, false);
    }

    public FileHeader {
        if (blockSize < Format.MIN_BLOCK_SIZE || blockSize > Format.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size " + blockSize + " is out of range "
                    + Format.MIN_BLOCK_SIZE + ".." + Format.MAX_BLOCK_SIZE);
        }
    }

    /** The same header in the other layout. */
    public FileHeader withCompact(boolean c) {
        return new FileHeader(hash, codecId, params, blockSize, goal, c);
    }

    /** Encoded length: {@link Format#HEADER_SIZE}, or {@link Format#COMPACT_HEADER_SIZE} in the compact layout. */
    public int length() {
        return compact ? Format.COMPACT_HEADER_SIZE : Format.HEADER_SIZE;
    }

    public byte[] encode() {
        byte[] b = new byte[length()];
        System.arraycopy(Format.MAGIC, 0, b, 0, 8);
        LE.put16(b, 8, compact ? Format.COMPACT_VERSION : Format.VERSION);
        LE.put16(b, 10, 0);
        b[12] = (byte) hash.id();
        b[13] = (byte) codecId;
        b[14] = (byte) params.windowLog();
        b[15] = (byte) goal;
        LE.put32(b, 16, params.level());
        LE.put32(b, 20, params.flags());
        if (compact) {
            LE.put32(b, 24, blockSize);
            LE.put32(b, 28, Format.crc(b, 0, 28));
        } else {
            LE.put64(b, 24, blockSize);
            LE.put32(b, 32, 0);
            LE.put32(b, 36, Format.crc(b, 0, 36));
        }
        return b;
    }

    /**
     * How many header bytes a reader needs, from the first 10 bytes of the file: 32 for the compact layout, else
     * 40 (also for an unknown version, which {@link #parse} then judges).
     */
    public static int lengthFrom(byte[] b, int n) {
        return n >= 10 && LE.get16(b, 8) == Format.COMPACT_VERSION ? Format.COMPACT_HEADER_SIZE : Format.HEADER_SIZE;
    }

    /**
     * Parses and checks a header read from offset 0, of either layout.
     *
     * @param n number of valid bytes in {@code b} (fewer than the layout's header means the input is too short)
     */
    public static FileHeader parse(byte[] b, int n) throws java.io.IOException {
        if (n < Format.MAGIC.length || !Arrays.equals(b, 0, 8, Format.MAGIC, 0, 8)) {
            throw new NotMmhFormatException("not an mmh archive (no mmh magic at offset 0)");
        }
        int need = lengthFrom(b, n);
        if (n < need) {
            throw new CorruptDataException("truncated file header (" + n + " of " + need + " bytes)", n, -1);
        }
        int version = LE.get16(b, 8);
        boolean compact = version == Format.COMPACT_VERSION;
        int crcAt = need - 4;
        int crc = LE.get32(b, crcAt);
        int actual = Format.crc(b, 0, crcAt);
        if (crc != actual) {
            // a damaged version field must not be reported as "unsupported": it breaks the checksum of its layout.
            // Reported at offset 0, where the header starts, as every structure is: with the version damaged, the
            // checksum's place (crcAt) may lie in the block that follows a compact header
            throw new dev.mmh.ChecksumMismatchException("file header checksum", Format.hex32(crc), Format.hex32(actual),
                    0, -1);
        }
        if (version != Format.VERSION && !compact) {
            throw Format.unsupported("unknown format version " + version, 8, -1);
        }
        // the checksum matched: from here on, what this version does not know was written on purpose
        Format.requireKnownBits("header flags", LE.get16(b, 10), 0, 10);
        if (!compact) {
            Format.requireKnownBits("reserved field of the file header", LE.get32(b, 32) & 0xffffffffL, 0, 32);
        }
        ContentHash hash;
        try {
            hash = ContentHash.byId(b[12] & 0xff);
        } catch (UnsupportedFormatException e) {
            throw Format.unsupported(e.getMessage(), 12, -1);
        }
        int codecId = b[13] & 0xff;
        int windowLog = b[14] & 0xff;
        int level = LE.get32(b, 16);
        int codecFlags = LE.get32(b, 20);
        long blockSize = compact ? LE.get32(b, 24) & 0xffffffffL : LE.get64(b, 24);
        Format.requireKnownBits("codec flags", codecFlags & 0xffffffffL, CodecParams.KNOWN_FLAGS, 20);
        if (windowLog > 31) {
            throw new CorruptDataException("window log " + windowLog + " is out of range", 14, -1);
        }
        if (blockSize > Format.MAX_BLOCK_SIZE) {
            throw new LimitExceededException("block size declared in the header", blockSize, Format.MAX_BLOCK_SIZE);
        }
        if (blockSize < Format.MIN_BLOCK_SIZE) {
            throw new CorruptDataException("block size " + blockSize + " is below the minimum", 24, -1);
        }
        return new FileHeader(hash, codecId, new CodecParams(level, windowLog, codecFlags), (int) blockSize, b[15] & 0xff,
                compact);
    }
}
