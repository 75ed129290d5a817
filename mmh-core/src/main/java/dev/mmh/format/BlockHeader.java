package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.hash.ContentHash;

/**
 * The header of a block section (docs/FORMAT.md, "Block section"). It is followed by {@code storedSize} bytes of
 * codec output and a CRC32C of those bytes.
 *
 * @param codecId codec that produced the stored bytes
 * @param level codec level, informative (-128..127)
 * @param transformId transform applied before the codec, 0 for none
 * @param transformParam the transform's parameter
 * @param reason why the codec and transform were chosen (informative; 0 = given by the user), see {@code Reasons}
 * @param number 0-based block number
 * @param rawSize bytes the block decodes to
 * @param transformedSize bytes after the transform (equals rawSize without one): the codec's input
 * @param storedSize bytes of codec output that follow the header
 * @param rawHash hash of the raw bytes (algorithm from the file header)
 */
public record BlockHeader(int codecId, int level, int transformId, int transformParam, int reason, long number,
        long rawSize,
        long transformedSize, long storedSize, byte[] rawHash) {

    /** Size of the encoded header for a hash of {@code hashLength} bytes. */
    public static int size(int hashLength) {
        return Format.BLOCK_FIXED + hashLength + 4;
    }

    /** Writes the header (with its CRC) at {@code b[off]}; returns its size. */
    public int encode(byte[] b, int off) {
        LE.put32(b, off, Format.SECTION_BLOCK);
        b[off + 4] = (byte) codecId;
        b[off + 5] = (byte) Math.max(-128, Math.min(127, level));
        b[off + 6] = (byte) transformId;
        b[off + 7] = (byte) reason;
        LE.put32(b, off + 8, transformParam);
        LE.put64(b, off + 12, number);
        LE.put64(b, off + 20, rawSize);
        LE.put64(b, off + 28, transformedSize);
        LE.put64(b, off + 36, storedSize);
        System.arraycopy(rawHash, 0, b, off + Format.BLOCK_FIXED, rawHash.length);
        int end = off + Format.BLOCK_FIXED + rawHash.length;
        LE.put32(b, end, Format.crc(b, off, end - off));
        return end + 4 - off;
    }

    /**
     * Parses a block header whose magic has been checked, verifying its CRC and its sizes against the limits of
     * the file header, so that nothing is allocated from an unchecked length.
     *
     * @param fileOffset where the header starts in the archive, for error messages
     */
    public static BlockHeader parse(byte[] b, int off, FileHeader fh, long fileOffset) throws CorruptDataException {
        ContentHash hash = fh.hash();
        int end = off + Format.BLOCK_FIXED + hash.length();
        int crc = LE.get32(b, end);
        int actual = Format.crc(b, off, end - off);
        long number = LE.get64(b, off + 12);
        if (crc != actual) {
            throw new ChecksumMismatchException("block header checksum", Format.hex32(crc), Format.hex32(actual),
                    fileOffset, -1);
        }
        long raw = LE.get64(b, off + 20);
        long transformed = LE.get64(b, off + 28);
        long stored = LE.get64(b, off + 36);
        if (raw < 0 || raw > fh.blockSize()) {
            throw new CorruptDataException("raw size " + raw + " exceeds the block size " + fh.blockSize(), fileOffset, number);
        }
        if (transformed < 0 || transformed > raw + Format.MAX_TRANSFORM_EXPANSION) {
            throw new CorruptDataException("transformed size " + transformed + " is out of range", fileOffset, number);
        }
        if (stored < 0 || stored > Format.maxStored(fh, raw, transformed)) {
            throw new CorruptDataException("stored size " + stored + " is larger than the data it holds", fileOffset, number);
        }
        byte[] h = new byte[hash.length()];
        System.arraycopy(b, off + Format.BLOCK_FIXED, h, 0, h.length);
        return new BlockHeader(b[off + 4] & 0xff, b[off + 5], b[off + 6] & 0xff, LE.get32(b, off + 8), b[off + 7] & 0xff,
                number, raw,
                transformed, stored, h);
    }

    /** Size of the whole block section: header, stored bytes, payload CRC. */
    public long sectionSize() {
        return size(rawHash.length) + storedSize + 4;
    }
}
