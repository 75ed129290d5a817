package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import java.util.Arrays;

/**
 * The 64-byte footer that ends every archive (docs/FORMAT.md, "Footer"): a reader seeks to the end, checks the
 * magic and finds the index (and the recovery section, if any) from it.
 *
 * @param recoveryOffset 0 when the archive has no recovery section
 * @param fileLength length of the whole archive including this footer; a longer or shorter file is damaged
 */
public record Footer(long indexOffset, long indexLength, long recoveryOffset, long recoveryLength, long fileLength,
        long totalRawSize) {

    public byte[] encode() {
        byte[] b = new byte[Format.FOOTER_SIZE];
        LE.put64(b, 0, indexOffset);
        LE.put64(b, 8, indexLength);
        LE.put64(b, 16, recoveryOffset);
        LE.put64(b, 24, recoveryLength);
        LE.put64(b, 32, fileLength);
        LE.put64(b, 40, totalRawSize);
        LE.put16(b, 48, Format.VERSION);
        LE.put16(b, 50, 0);
        LE.put32(b, 52, Format.crc(b, 0, 52));
        System.arraycopy(Format.FOOTER_MAGIC, 0, b, 56, 8);
        return b;
    }

    /** Whether {@code b} ends with the footer magic. */
    public static boolean hasMagic(byte[] b) {
        return b.length == Format.FOOTER_SIZE && Arrays.equals(b, 56, 64, Format.FOOTER_MAGIC, 0, 8);
    }

    /**
     * Parses and checks a footer: magic, CRC, then what a newer writer may have set (version, flags: unsupported),
     * then that its offsets and lengths fit a file that ends with it.
     *
     * @param fileOffset where the footer starts in the archive
     */
    public static Footer parse(byte[] b, long fileOffset) throws java.io.IOException {
        if (!hasMagic(b)) {
            throw new CorruptDataException("footer magic missing (truncated archive or appended data)", fileOffset + 56, -1);
        }
        int crc = LE.get32(b, 52);
        int actual = Format.crc(b, 0, 52);
        if (crc != actual) {
            throw new ChecksumMismatchException("footer checksum", Format.hex32(crc), Format.hex32(actual), fileOffset, -1);
        }
        int version = LE.get16(b, 48);
        if (version != Format.VERSION) {
            throw Format.unsupported("unknown footer format version " + version, fileOffset + 48, -1);
        }
        Format.requireKnownBits("footer flags", LE.get16(b, 50), 0, fileOffset + 50);
        Footer f = new Footer(LE.get64(b, 0), LE.get64(b, 8), LE.get64(b, 16), LE.get64(b, 24), LE.get64(b, 32),
                LE.get64(b, 40));
        if (f.fileLength != fileOffset + Format.FOOTER_SIZE) {
            throw new CorruptDataException("archive is " + (fileOffset + Format.FOOTER_SIZE) + " bytes but its footer says "
                    + f.fileLength + " (truncated, or data appended)", fileOffset, -1);
        }
        if (f.indexOffset < Format.HEADER_SIZE || f.indexLength < Index.size(0, 8)
                || f.indexOffset + f.indexLength != fileOffset) {
            throw new CorruptDataException("footer points to an index outside the archive", fileOffset, -1);
        }
        if (f.recoveryOffset == 0 && f.recoveryLength != 0) {
            throw new CorruptDataException("footer gives a recovery section length but no offset", fileOffset + 24, -1);
        }
        if (f.recoveryOffset != 0 && (f.recoveryOffset < Format.HEADER_SIZE || f.recoveryLength < Format.SECTION_ENVELOPE
                || f.recoveryOffset > f.indexOffset || f.recoveryLength > f.indexOffset - f.recoveryOffset)) {
            throw new CorruptDataException("footer points to a recovery section outside the archive", fileOffset + 16, -1);
        }
        return f;
    }
}
