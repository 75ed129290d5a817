package dev.mmh.format;

import dev.mmh.UnsupportedFormatException;
import java.util.zip.CRC32C;

/**
 * Constants of the .mmh container format, versions 1 and 2, and the one rule for the fields a newer writer may
 * set ({@link #requireKnownBits}, {@link #unsupported}). {@code docs/FORMAT.md} is the specification; every
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
    /**
     * Version field of a folder archive (docs/FORMAT.md, "Folder archives"): the full layout with a 48-byte header
     * that records the committed length, blob tables and a manifest between the blocks and the index, and an 80-byte
     * footer that also points at the manifest.
     */
    public static final int FOLDER_VERSION = 3;
    /** Size of a folder archive's file header. */
    public static final int FOLDER_HEADER_SIZE = 48;
    /** The longest file header of any layout: what a reader reads before it knows the layout. */
    public static final int MAX_HEADER_SIZE = FOLDER_HEADER_SIZE;
    /** Size of a folder archive's footer. */
    public static final int FOLDER_FOOTER_SIZE = 80;

    /** Section magics (first 4 bytes of every section): "MMH" followed by a type letter. */
    public static final int SECTION_BLOCK = magic('B');
    public static final int SECTION_INDEX = magic('I');
    /**
     * Recovery data (Reed-Solomon parity over the header and the blocks, docs/RECOVERY-FORMAT.md), written by
     * {@code compress --recovery} and {@code protect}; a reader that only decodes checks its envelope and skips it.
     */
    public static final int SECTION_RECOVERY = magic('R');
    /**
     * Encryption parameters (the age header that wraps the file key, and the salt of the archive's keys): the first
     * section of an archive whose header has {@link #HEADER_ENCRYPTED}; anywhere else "unsupported".
     */
    public static final int SECTION_ENCRYPTION = magic('E');
    /**
     * Authentication of an encrypted archive's end (block count, total size, content ID, under the archive's MAC
     * key): after its last block, before any recovery section; anywhere else, or in a plain archive, "unsupported".
     */
    public static final int SECTION_AUTH = magic('A');
    /**
     * A signature inside a full-layout archive (docs/FORMAT.md, "Signed archives"): minisign's Ed25519 over the
     * archive's content ID, after the last block (and the {@code A} section), before any recovery section; not
     * must-understand, so a reader that does not check signatures skips it.
     */
    public static final int SECTION_SIGNATURE = magic('S');
    /** File header flag (full and folder layouts): the archive is encrypted; an {@code E} section follows the header. */
    public static final int HEADER_ENCRYPTED = 1;
    /** Bytes an encrypted block's stored data holds beyond its codec output: a 12-byte nonce and a 16-byte tag. */
    public static final int SEAL_OVERHEAD = 28;
    /** A folder archive's blob table (where each blob of one version lies); the archive module reads it. */
    public static final int SECTION_BLOB_TABLE = magic('X');
    /** A folder archive's manifest (versions, chunker, blob tables); the footer points to the latest one. */
    public static final int SECTION_MANIFEST = magic('M');
    /** Size of the generic section envelope before its body (magic, flags, length). */
    public static final int SECTION_ENVELOPE = 16;
    /** Generic section flag: a reader that does not know this section type must fail rather than skip it. */
    public static final int SECTION_MUST_UNDERSTAND = 1;
    /**
     * Generic section flag: the body carries its own checksums (the recovery section), so the trailing CRC32C
     * covers only the 16-byte envelope; a damaged body then does not stop a reader that does not need it.
     */
    public static final int SECTION_SELF_CHECKED = 2;
    /** The generic section flags this version defines, for every section type but the index (which has none). */
    public static final int SECTION_KNOWN_FLAGS = SECTION_MUST_UNDERSTAND | SECTION_SELF_CHECKED;

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

    /**
     * The rule for fields that a newer writer may set (docs/FORMAT.md, "Principles"): reserved fields and flag
     * words. Writers write zero in every bit this version does not define; a reader calls this only after the
     * structure's checksum matched (so damage is reported as damage) and refuses any other bit as
     * <em>unsupported</em>: it was set on purpose, by a writer that knows more than this reader. A reserved field
     * is a flag word with no known bit.
     *
     * @param field what the bits are, for the message (e.g. "header flags")
     * @param value the field as read (an unsigned field in the low bits)
     * @param known the bits this version defines ({@code 0} for a reserved field)
     * @param offset archive offset of the field
     * @throws UnsupportedFormatException if {@code value} has a bit outside {@code known}
     */
    public static void requireKnownBits(String field, long value, long known, long offset)
            throws UnsupportedFormatException {
        long unknown = value & ~known;
        if (unknown != 0) {
            throw unsupported("unknown bits 0x" + Long.toHexString(unknown) + " in the " + field, offset, -1);
        }
    }

    /**
     * {@link #requireKnownBits} for a reserved field of {@code len} bytes at {@code b[off]}: every byte must be zero.
     *
     * @param offset archive (or file) offset of {@code b[off]}
     */
    public static void requireZero(String field, byte[] b, int off, int len, long offset)
            throws UnsupportedFormatException {
        for (int i = 0; i < len; i++) {
            requireKnownBits(field, b[off + i] & 0xff, 0, offset + i);
        }
    }

    /**
     * The failure for anything of an intact structure that this version does not know: an unknown version, id or
     * section type (after the structure's checksum matched), or unknown bits ({@link #requireKnownBits}). Every
     * reader builds its "unsupported" failures here, so they read alike: {@code "[block B ]at offset O: WHAT: not
     * supported by this version of mmh"}.
     *
     * @param what what was found, e.g. "unknown codec id 200"
     * @param offset archive offset where it was found, or -1
     * @param block block number it belongs to, or -1
     */
    public static UnsupportedFormatException unsupported(String what, long offset, long block) {
        StringBuilder s = new StringBuilder();
        if (block >= 0) {
            s.append("block ").append(block).append(offset >= 0 ? " " : ": ");
        }
        if (offset >= 0) {
            s.append("at offset ").append(offset).append(": ");
        }
        s.append(what).append(": not supported by this version of mmh");
        return new UnsupportedFormatException(s.toString());
    }

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

    /**
     * The most stored bytes a block of {@code raw} raw and {@code transformed} transformed bytes may have: never more
     * than the data it holds, plus the nonce and tag of an encrypted archive.
     */
    public static long maxStored(FileHeader fh, long raw, long transformed) {
        long m = Math.max(raw, transformed);
        return fh.encrypted() ? padme(m + 4) + SEAL_OVERHEAD : m;
    }

    /**
     * Padmé (Nikitin et al., "Reducing metadata leakage from encrypted files and communication with PURBs", PETS
     * 2019): {@code n} rounded up so that only O(log log n) bits of it remain, at most about 12% more (less for large
     * {@code n}): the length an encrypted archive made with {@code --pad} gives a block's sealed contents.
     */
    public static long padme(long n) {
        if (n < 2) {
            return n;
        }
        int e = 63 - Long.numberOfLeadingZeros(n);
        int s = 64 - Long.numberOfLeadingZeros(e);
        long mask = (1L << (e - s)) - 1;
        return (n + mask) & ~mask;
    }
}
