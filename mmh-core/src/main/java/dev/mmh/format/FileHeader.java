package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.codec.CodecParams;
import dev.mmh.hash.ContentHash;
import java.util.Arrays;

/**
 * The file header (docs/FORMAT.md, "File header"): what the writer was asked for, in one of three layouts: the
 * 40-byte header of the full layout, the 32-byte one of the compact layout, or the 48-byte one of a folder archive,
 * which also records the archive's committed length. Blocks carry their own codec ids, so the codec fields here are
 * the defaults the run used and the window the decoder must allow.
 *
 * @param hash hash of each block's raw bytes
 * @param codecId codec the run asked for (blocks may differ, e.g. stored when incompressible)
 * @param params level, window log and flags of that codec
 * @param blockSize nominal raw block size: no block is larger
 * @param goal informative: 0 when the user gave the codec, else 1 + the {@code Goal} ordinal (fast, default, max)
 *     under which mmh chose per block; the codec id is then {@link #AUTO}
 * @param layout which of the three layouts this header starts
 * @param committedLength a folder archive's committed length: the archive ends there and bytes after it are an
 *     interrupted append; 0 = the end of the file (an archive never appended to, or written to a pipe). 0 in the
 *     other layouts
 * @param encrypted header flag {@link Format#HEADER_ENCRYPTED}: an {@code E} section follows the header and every
 *     block is sealed (full and folder layouts only)
 */
public record FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal, Layout layout,
        long committedLength, boolean encrypted) {
    /** Codec id of the header when blocks were chosen by analysis. */
    public static final int AUTO = 255;

    /** The three layouts, by format version. */
    public enum Layout {
        /** Header, blocks, other sections, index, footer (version 1). */
        FULL(Format.VERSION, Format.HEADER_SIZE, Format.FOOTER_SIZE),
        /** Header and one block, nothing else (version 2). */
        COMPACT(Format.COMPACT_VERSION, Format.COMPACT_HEADER_SIZE, 0),
        /** A folder archive: the full layout with a longer header and footer (version 3). */
        FOLDER(Format.FOLDER_VERSION, Format.FOLDER_HEADER_SIZE, Format.FOLDER_FOOTER_SIZE);

        private final int version;
        private final int headerSize;
        private final int footerSize;

        Layout(int version, int headerSize, int footerSize) {
            this.version = version;
            this.headerSize = headerSize;
            this.footerSize = footerSize;
        }

        /** The version field that names this layout. */
        public int version() {
            return version;
        }

        public int headerSize() {
            return headerSize;
        }

        /** Bytes of the footer that ends an archive of this layout (0: the compact layout has none). */
        public int footerSize() {
            return footerSize;
        }

        /** The layout of a version field, or {@code null} for one this build does not know. */
        public static Layout of(int version) {
            for (Layout l : values()) {
                if (l.version == version) {
                    return l;
                }
            }
            return null;
        }
    }

    /** A header of the full layout. */
    public FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal) {
        this(hash, codecId, params, blockSize, goal, Layout.FULL, 0, false);
    }

    /** A plain (not encrypted) header of any layout. */
    public FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal, Layout layout,
            long committedLength) {
        this(hash, codecId, params, blockSize, goal, layout, committedLength, false);
    }

    /** A header of the full or the compact layout. */
    public FileHeader(ContentHash hash, int codecId, CodecParams params, int blockSize, int goal, boolean compact) {
        this(hash, codecId, params, blockSize, goal, compact ? Layout.COMPACT : Layout.FULL, 0, false);
    }

    public FileHeader {
        if (blockSize < Format.MIN_BLOCK_SIZE || blockSize > Format.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size " + blockSize + " is out of range "
                    + Format.MIN_BLOCK_SIZE + ".." + Format.MAX_BLOCK_SIZE);
        }
        if (committedLength < 0 || committedLength != 0 && layout != Layout.FOLDER) {
            throw new IllegalArgumentException("committed length " + committedLength + " in the " + layout + " layout");
        }
        if (encrypted && layout == Layout.COMPACT) {
            throw new IllegalArgumentException("the compact layout cannot be encrypted");
        }
    }

    /** Whether this is the compact layout's header: one block section follows it and ends the file. */
    public boolean compact() {
        return layout == Layout.COMPACT;
    }

    /** Whether this is a folder archive's header. */
    public boolean folder() {
        return layout == Layout.FOLDER;
    }

    /** The same header in the compact or the full layout. */
    public FileHeader withCompact(boolean c) {
        return new FileHeader(hash, codecId, params, blockSize, goal, c ? Layout.COMPACT : Layout.FULL, 0, encrypted && !c);
    }

    /** The same fields as a folder archive's header with this committed length (0: the end of the file). */
    public FileHeader asFolder(long committed) {
        return new FileHeader(hash, codecId, params, blockSize, goal, Layout.FOLDER, committed, encrypted);
    }

    /** The same header with the encryption flag set or cleared. */
    public FileHeader withEncrypted(boolean e) {
        return new FileHeader(hash, codecId, params, blockSize, goal, layout, committedLength, e);
    }

    /** Encoded length: the layout's header size. */
    public int length() {
        return layout.headerSize();
    }

    public byte[] encode() {
        byte[] b = new byte[length()];
        System.arraycopy(Format.MAGIC, 0, b, 0, 8);
        LE.put16(b, 8, layout.version());
        LE.put16(b, 10, encrypted ? Format.HEADER_ENCRYPTED : 0);
        b[12] = (byte) hash.id();
        b[13] = (byte) codecId;
        b[14] = (byte) params.windowLog();
        b[15] = (byte) goal;
        LE.put32(b, 16, params.level());
        LE.put32(b, 20, params.flags());
        switch (layout) {
            case COMPACT -> {
                LE.put32(b, 24, blockSize);
                LE.put32(b, 28, Format.crc(b, 0, 28));
            }
            case FULL -> {
                LE.put64(b, 24, blockSize);
                LE.put32(b, 32, 0);
                LE.put32(b, 36, Format.crc(b, 0, 36));
            }
            case FOLDER -> {
                LE.put64(b, 24, blockSize);
                LE.put64(b, 32, committedLength);
                LE.put32(b, 40, 0);
                LE.put32(b, 44, Format.crc(b, 0, 44));
            }
        }
        return b;
    }

    /**
     * How many header bytes a reader needs, from the first 10 bytes of the file: 32 for the compact layout, 48 for a
     * folder archive, else 40 (also for an unknown version, which {@link #parse} then judges).
     */
    public static int lengthFrom(byte[] b, int n) {
        Layout l = n >= 10 ? Layout.of(LE.get16(b, 8)) : null;
        return l == null ? Format.HEADER_SIZE : l.headerSize();
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
        Layout layout = Layout.of(version);
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
        if (layout == null) {
            throw Format.unsupported("unknown format version " + version, 8, -1);
        }
        // the checksum matched: from here on, what this version does not know was written on purpose
        int flags = LE.get16(b, 10);
        Format.requireKnownBits("header flags", flags, layout == Layout.COMPACT ? 0 : Format.HEADER_ENCRYPTED, 10);
        long committed = 0;
        if (layout == Layout.FULL) {
            Format.requireKnownBits("reserved field of the file header", LE.get32(b, 32) & 0xffffffffL, 0, 32);
        } else if (layout == Layout.FOLDER) {
            Format.requireKnownBits("reserved field of the file header", LE.get32(b, 40) & 0xffffffffL, 0, 40);
            committed = LE.get64(b, 32);
            if (committed != 0 && committed < Format.FOLDER_HEADER_SIZE + Format.FOLDER_FOOTER_SIZE) {
                throw new CorruptDataException("committed length " + Long.toUnsignedString(committed)
                        + " is too short for an archive", 32, -1);
            }
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
        long blockSize = layout == Layout.COMPACT ? LE.get32(b, 24) & 0xffffffffL : LE.get64(b, 24);
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
                layout, committed, (flags & Format.HEADER_ENCRYPTED) != 0);
    }
}
