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
 */
public record FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal) {
    /** Codec id of the header when blocks were chosen by analysis. */
    public static final int AUTO = 255;

    public FileHeader {
        if (blockSize < Format.MIN_BLOCK_SIZE || blockSize > Format.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size " + blockSize + " is out of range "
                    + Format.MIN_BLOCK_SIZE + ".." + Format.MAX_BLOCK_SIZE);
        }
    }

    public byte[] encode() {
        byte[] b = new byte[Format.HEADER_SIZE];
        System.arraycopy(Format.MAGIC, 0, b, 0, 8);
        LE.put16(b, 8, Format.VERSION);
        LE.put16(b, 10, 0);
        b[12] = (byte) hash.id();
        b[13] = (byte) codecId;
        b[14] = (byte) params.windowLog();
        b[15] = (byte) goal;
        LE.put32(b, 16, params.level());
        LE.put32(b, 20, params.flags());
        LE.put64(b, 24, blockSize);
        LE.put32(b, 32, 0);
        LE.put32(b, 36, Format.crc(b, 0, 36));
        return b;
    }

    /**
     * Parses and checks a header read from offset 0.
     *
     * @param n number of valid bytes in {@code b} (fewer than 40 means the input is too short)
     */
    public static FileHeader parse(byte[] b, int n) throws java.io.IOException {
        if (n < Format.MAGIC.length || !Arrays.equals(b, 0, 8, Format.MAGIC, 0, 8)) {
            throw new NotMmhFormatException("not an mmh archive (no mmh magic at offset 0)");
        }
        if (n < Format.HEADER_SIZE) {
            throw new CorruptDataException("truncated file header (" + n + " of " + Format.HEADER_SIZE + " bytes)", n, -1);
        }
        int version = LE.get16(b, 8);
        int crc = LE.get32(b, 36);
        int actual = Format.crc(b, 0, 36);
        if (crc != actual) {
            // a damaged version field must not be reported as "unsupported"
            throw new dev.mmh.ChecksumMismatchException("file header checksum", Format.hex32(crc), Format.hex32(actual), 36, -1);
        }
        if (version != Format.VERSION) {
            throw new UnsupportedFormatException("format version " + version + " is not supported (this mmh reads version "
                    + Format.VERSION + ")");
        }
        int flags = LE.get16(b, 10);
        if (flags != 0) {
            throw new UnsupportedFormatException("unknown header flags 0x" + Integer.toHexString(flags));
        }
        ContentHash hash = ContentHash.byId(b[12] & 0xff);
        int codecId = b[13] & 0xff;
        int windowLog = b[14] & 0xff;
        int level = LE.get32(b, 16);
        int codecFlags = LE.get32(b, 20);
        long blockSize = LE.get64(b, 24);
        if ((codecFlags & ~CodecParams.KNOWN_FLAGS) != 0) {
            throw new UnsupportedFormatException("unknown codec flags 0x" + Integer.toHexString(codecFlags));
        }
        if (windowLog > 31) {
            throw new CorruptDataException("window log " + windowLog + " is out of range", 14, -1);
        }
        if (blockSize > Format.MAX_BLOCK_SIZE) {
            throw new LimitExceededException("block size declared in the header", blockSize, Format.MAX_BLOCK_SIZE);
        }
        if (blockSize < Format.MIN_BLOCK_SIZE) {
            throw new CorruptDataException("block size " + blockSize + " is below the minimum", 24, -1);
        }
        return new FileHeader(hash, codecId, new CodecParams(level, windowLog, codecFlags), (int) blockSize, b[15] & 0xff);
    }
}
