package dev.mmh.format;

import java.util.zip.CRC32C;

/**
 * Constants of the .mmh container format, version 1. {@code docs/FORMAT.md} is the specification; every
 * constant here names the section of it where it applies.
 */
public final class Format {
    private Format() {
    }

    /** File header magic (header, offset 0): {@code 89 'M' 'M' 'H' 0D 0A 1A 0A}, like PNG's, to catch text-mode damage. */
    public static final byte[] MAGIC = {(byte) 0x89, 'M', 'M', 'H', '\r', '\n', 0x1a, '\n'};
    /** Format version of the full layout (header offset 8, footer offset 48). */
    public static final int VERSION = 1;
    /** Size of the file header in bytes. */
    public static final int HEADER_SIZE = 40;
    /**
     * Version field (header offset 8) of the compact layout: a 32-byte header and exactly one block section, no
     * index and no footer (docs/FORMAT.md, "Compact layout"). Files of the full layout keep version 1.
     */
    public static final int COMPACT_VERSION = 2;
    /** Size of the compact layout's file header. */
    public static final int COMPACT_HEADER_SIZE = 32;

    /** Section magics (first 4 bytes of every section): "MMH" followed by a type letter. */
    public static final int SECTION_BLOCK = magic('B');
    public static final int SECTION_INDEX = magic('I');
    /** Recovery (parity) data, added by a later version's writer; readers of v1 skip it. */
    public static final int SECTION_RECOVERY = magic('R');
    /** Encryption parameters; reserved: a v1 reader that meets it reports "unsupported". */
    public static final int SECTION_ENCRYPTION = magic('E');
    /** Size of the generic section envelope before its body (magic, flags, length). */
    public static final int SECTION_ENVELOPE = 16;
    /** Generic section flag: a reader that does not know this section type must fail rather than skip it. */
    public static final int SECTION_MUST_UNDERSTAND = 1;
    /**
     * Generic section flag: the body carries its own checksums (the recovery section), so the trailing CRC32C
     * covers only the 16-byte envelope; a damaged body then does not stop a reader that does not need it.
     */
    public static final int SECTION_SELF_CHECKED = 2;

    /** Block header size without the raw hash; the full header is this plus the hash length plus a CRC32C. */
    public static final int BLOCK_FIXED = 44;
    /** Index entry size without the raw hash. */
    public static final int INDEX_ENTRY_FIXED = 40;

    /** Footer size; the footer ends the file. */
    public static final int FOOTER_SIZE = 64;
    /** Footer magic, the last 8 bytes of every archive: {@code 'M' 'M' 'H' 'F' 'O' 'O' 'T' 89}. */
    public static final byte[] FOOTER_MAGIC = {'M', 'M', 'H', 'F', 'O', 'O', 'T', (byte) 0x89};

    /** Smallest and largest block size a writer accepts and a reader believes. */
    public static final int MIN_BLOCK_SIZE = 1024;
    public static final int MAX_BLOCK_SIZE = 1 << 30;
    /** Default block size: large enough that independent blocks cost zstd -3 well under 1% of ratio. */
    public static final int DEFAULT_BLOCK_SIZE = 8 << 20;
    /** How much a transform may expand a block (its output is the codec's input). */
    public static final int MAX_TRANSFORM_EXPANSION = 64 * 1024;
    /** Largest index a reader accepts: 2^26 blocks are 64 PiB at the maximum block size. */
    public static final long MAX_BLOCKS = 1L << 26;

    static int magic(char type) {
        return 'M' | 'M' << 8 | 'H' << 16 | type << 24;
    }

    /** CRC32C of {@code b[off, off+len)}, the checksum of every structure. */
    public static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Lower-case hex of a byte array. */
    public static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return s.toString();
    }

    /** Eight hex digits of a CRC. */
    public static String hex32(int v) {
        return String.format("%08x", v);
    }
}
