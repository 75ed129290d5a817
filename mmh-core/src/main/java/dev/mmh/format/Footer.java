package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import java.util.Arrays;

/**
 * The footer that ends every archive of the full layout (docs/FORMAT.md, "Footer"; 64 bytes) and every folder
 * archive ("Folder archives"; 80 bytes, which also point at the manifest): a reader seeks to the end, checks the
 * magic and finds the index (and the recovery section and manifest, if any) from it.
 *
 * @param recoveryOffset 0 when the archive has no recovery section
 * @param fileLength length of the whole archive including this footer; a longer or shorter file is damaged (in a
 *     folder archive: the committed length, which the file may exceed)
 * @param folder whether this is a folder archive's footer
 * @param manifestOffset a folder archive's manifest section (0 in the other layouts)
 */
public record Footer(long indexOffset, long indexLength, long recoveryOffset, long recoveryLength, long fileLength,
        long totalRawSize, boolean folder, long manifestOffset, long manifestLength) {

    /** A footer of the full layout. */
    public Footer(long indexOffset, long indexLength, long recoveryOffset, long recoveryLength, long fileLength,
            long totalRawSize) {
        this(indexOffset, indexLength, recoveryOffset, recoveryLength, fileLength, totalRawSize, false, 0, 0);
    }

    /** Bytes this footer takes. */
    public int size() {
        return size(folder);
    }

    public static int size(boolean folder) {
        return folder ? Format.FOLDER_FOOTER_SIZE : Format.FOOTER_SIZE;
    }

    public byte[] encode() {
        byte[] b = new byte[size()];
        LE.put64(b, 0, indexOffset);
        LE.put64(b, 8, indexLength);
        LE.put64(b, 16, recoveryOffset);
        LE.put64(b, 24, recoveryLength);
        int at = 32;
        if (folder) {
            LE.put64(b, 32, manifestOffset);
            LE.put64(b, 40, manifestLength);
            at = 48;
        }
        LE.put64(b, at, fileLength);
        LE.put64(b, at + 8, totalRawSize);
        LE.put16(b, at + 16, folder ? Format.FOLDER_VERSION : Format.VERSION);
        LE.put16(b, at + 18, 0);
        LE.put32(b, at + 20, Format.crc(b, 0, at + 20));
        System.arraycopy(Format.FOOTER_MAGIC, 0, b, at + 24, 8);
        return b;
    }

    /** Whether {@code b} (a footer's bytes: 64, or 80 for a folder archive) ends with the footer magic. */
    public static boolean hasMagic(byte[] b) {
        int n = b.length;
        return (n == Format.FOOTER_SIZE || n == Format.FOLDER_FOOTER_SIZE)
                && Arrays.equals(b, n - 8, n, Format.FOOTER_MAGIC, 0, 8);
    }

    /** Parses and checks a footer of the full layout; see {@link #parse(byte[], long, boolean)}. */
    public static Footer parse(byte[] b, long fileOffset) throws java.io.IOException {
        return parse(b, fileOffset, false);
    }

    /**
     * Parses and checks a footer: magic, CRC, then what a newer writer may have set (version, flags: unsupported),
     * then that its offsets and lengths fit an archive that ends with it.
     *
     * @param b the footer's bytes: 64, or 80 when {@code folder}
     * @param fileOffset where the footer starts in the archive
     */
    public static Footer parse(byte[] b, long fileOffset, boolean folder) throws java.io.IOException {
        int at = folder ? 48 : 32;
        int size = size(folder);
        if (b.length != size || !hasMagic(b)) {
            throw new CorruptDataException("footer magic missing (truncated archive or appended data)",
                    fileOffset + size - 8, -1);
        }
        int crc = LE.get32(b, at + 20);
        int actual = Format.crc(b, 0, at + 20);
        if (crc != actual) {
            throw new ChecksumMismatchException("footer checksum", Format.hex32(crc), Format.hex32(actual), fileOffset,
                    -1);
        }
        int version = LE.get16(b, at + 16);
        if (version != (folder ? Format.FOLDER_VERSION : Format.VERSION)) {
            throw Format.unsupported("unknown footer format version " + version, fileOffset + at + 16, -1);
        }
        Format.requireKnownBits("footer flags", LE.get16(b, at + 18), 0, fileOffset + at + 18);
        Footer f = new Footer(LE.get64(b, 0), LE.get64(b, 8), LE.get64(b, 16), LE.get64(b, 24), LE.get64(b, at),
                LE.get64(b, at + 8), folder, folder ? LE.get64(b, 32) : 0, folder ? LE.get64(b, 40) : 0);
        int headerSize = folder ? Format.FOLDER_HEADER_SIZE : Format.HEADER_SIZE;
        if (f.fileLength != fileOffset + size) {
            throw new CorruptDataException("archive is " + (fileOffset + size) + " bytes but its footer says "
                    + f.fileLength + " (truncated, or data appended)", fileOffset, -1);
        }
        if (f.indexOffset < headerSize || f.indexLength < Index.size(0, 8) || f.indexOffset + f.indexLength != fileOffset) {
            throw new CorruptDataException("footer points to an index outside the archive", fileOffset, -1);
        }
        if (f.recoveryOffset == 0 && f.recoveryLength != 0) {
            throw new CorruptDataException("footer gives a recovery section length but no offset", fileOffset + 24, -1);
        }
        if (f.recoveryOffset != 0 && (f.recoveryOffset < headerSize || f.recoveryLength < Format.SECTION_ENVELOPE
                || f.recoveryOffset > f.indexOffset || f.recoveryLength > f.indexOffset - f.recoveryOffset)) {
            throw new CorruptDataException("footer points to a recovery section outside the archive", fileOffset + 16, -1);
        }
        if (folder) {
            long end = f.recoveryOffset != 0 ? f.recoveryOffset : f.indexOffset;
            if (f.manifestOffset < headerSize || f.manifestLength < Format.SECTION_ENVELOPE + 4
                    || f.manifestOffset > end || f.manifestLength > end - f.manifestOffset) {
                throw new CorruptDataException("footer points to a manifest outside the archive", fileOffset + 32, -1);
            }
        }
        return f;
    }
}
