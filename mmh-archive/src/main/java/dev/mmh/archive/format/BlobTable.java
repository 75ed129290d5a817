package dev.mmh.archive.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.SectionEnvelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A blob table ({@code X} section, docs/FORMAT.md "Blob table"): where each blob an append added lies, sorted by
 * ID and paged, so one lookup reads the small page directory once and then a single page (192 KiB at most) whose
 * CRC it checks. {@link #encode} builds the section; {@link #open} reads one from an archive. A reader is not
 * thread-safe (it keeps the pages it read last, up to {@link #CACHE_BYTES}); open one per thread.
 */
public final class BlobTable {
    /** Section type letter and magic. */
    public static final int MAGIC = Format.SECTION_BLOB_TABLE;
    public static final int ENTRY_SIZE = 48;
    public static final int ENTRIES_PER_PAGE = 4096;
    private static final int HEAD = 16;
    private static final int DIR_ENTRY = BlobId.LENGTH + 4;
    /** Largest table a reader opens: 2^28 blobs (12 GiB of entries). */
    public static final long MAX_ENTRIES = 1L << 28;

    /** One blob's place: the block holding it, the offset in that block's raw bytes, its length and type. */
    public record Location(BlobId id, int type, long block, int offset, int length) {
        public Location {
            if (block < 0 || block > 0xffff_ffffL || offset < 0 || length < 1 || type < 0 || type > 255) {
                throw new IllegalArgumentException("blob location " + block + "/" + offset + "/" + length);
            }
        }
    }

    /** Blob types. */
    public static final int DATA = 0;
    public static final int TREE = 1;
    public static final int CHUNK_LIST = 2;

    private final FileChannel ch;
    private final long bodyAt;
    private final long count;
    private final int perPage;
    private final byte[] directory;
    private final long entriesAt;
    private final String what;
    /** Bytes of checked pages kept (IDs are random, so lookups of a file's chunks land on any page). */
    static final long CACHE_BYTES = 16L << 20;
    private final java.util.LinkedHashMap<Integer, byte[]> pageCache = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    private BlobTable(FileChannel ch, long bodyAt, long count, int perPage, byte[] directory, long entriesAt,
            String what) {
        this.ch = ch;
        this.bodyAt = bodyAt;
        this.count = count;
        this.perPage = perPage;
        this.directory = directory;
        this.entriesAt = entriesAt;
        this.what = what;
    }

    /** Encodes the section (envelope included) for {@code locations}, sorted here by ID; IDs must not repeat. */
    public static byte[] encode(List<Location> locations) {
        List<Location> sorted = new ArrayList<>(locations);
        sorted.sort(Comparator.comparing(Location::id));
        int n = sorted.size();
        int pages = (n + ENTRIES_PER_PAGE - 1) / ENTRIES_PER_PAGE;
        long len = 16L + (long) DIR_ENTRY * pages + 4 + (long) ENTRY_SIZE * n;
        if (len > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("blob table of " + n + " entries is too large for one section");
        }
        // the body: count, entries per page and their CRC; the page directory and its CRC; the entries
        byte[] body = new byte[(int) len];
        LE.put64(body, 0, n);
        LE.put32(body, 8, ENTRIES_PER_PAGE);
        LE.put32(body, 12, Format.crc(body, 0, 12));
        int dirAt = 16;
        int entriesAt = dirAt + DIR_ENTRY * pages + 4;
        for (int i = 0; i < n; i++) {
            Location l = sorted.get(i);
            if (i > 0 && sorted.get(i - 1).id().equals(l.id())) {
                throw new IllegalArgumentException("blob " + l.id() + " listed twice");
            }
            int at = entriesAt + i * ENTRY_SIZE;
            l.id().copyTo(body, at);
            LE.put32(body, at + 32, (int) l.block());
            LE.put32(body, at + 36, l.offset());
            LE.put32(body, at + 40, l.length());
            body[at + 44] = (byte) l.type();
        }
        for (int p = 0; p < pages; p++) {
            int first = entriesAt + p * ENTRIES_PER_PAGE * ENTRY_SIZE;
            int entries = Math.min(ENTRIES_PER_PAGE, n - p * ENTRIES_PER_PAGE);
            System.arraycopy(body, first, body, dirAt + p * DIR_ENTRY, BlobId.LENGTH);
            LE.put32(body, dirAt + p * DIR_ENTRY + BlobId.LENGTH, Format.crc(body, first, entries * ENTRY_SIZE));
        }
        LE.put32(body, dirAt + DIR_ENTRY * pages, Format.crc(body, dirAt, DIR_ENTRY * pages));
        // the pages check themselves: the envelope's CRC covers only its own 16 bytes, so a lookup reads one page
        return SectionEnvelope.wrap(MAGIC, Format.SECTION_SELF_CHECKED, body);
    }

    /**
     * Opens the table in the section at {@code offset} of {@code length} bytes: checks the envelope, the head and
     * the page directory (the entries are checked page by page as they are read).
     */
    public static BlobTable open(FileChannel ch, long offset, long length) throws IOException {
        String what = "blob table at offset " + offset;
        if (length < HEAD + 16 + 4 + 4) {
            throw new CorruptDataException("blob table section of " + length + " bytes is too short", offset, -1);
        }
        byte[] head = new byte[HEAD + 16];
        readFully(ch, head, offset);
        if (LE.get32(head, 0) != MAGIC) {
            throw new CorruptDataException("not a blob table section", offset, -1);
        }
        byte[] crc = new byte[4];
        readFully(ch, crc, offset + length - 4);
        int envelope = Format.crc(head, 0, HEAD);
        if (LE.get32(crc, 0) != envelope) {
            throw new ChecksumMismatchException("blob table envelope CRC32C", Format.hex32(LE.get32(crc, 0)),
                    Format.hex32(envelope), offset, -1);
        }
        if (LE.get64(head, 8) != length) {
            throw new CorruptDataException("blob table section length " + LE.get64(head, 8) + " differs from "
                    + length, offset, -1);
        }
        int flags = LE.get32(head, 4);
        if (flags != Format.SECTION_SELF_CHECKED) {
            throw new UnsupportedFormatException(what + ": section flags " + Integer.toHexString(flags));
        }
        int headCrc = Format.crc(head, HEAD, 12);
        if (LE.get32(head, HEAD + 12) != headCrc) {
            throw new ChecksumMismatchException("blob table head CRC32C", Format.hex32(LE.get32(head, HEAD + 12)),
                    Format.hex32(headCrc), offset + HEAD, -1);
        }
        long n = LE.get64(head, HEAD);
        int perPage = LE.get32(head, HEAD + 8);
        if (n < 0 || n > MAX_ENTRIES) {
            throw new LimitExceededException(what, n, MAX_ENTRIES);
        }
        if (perPage < 1 || perPage > 65536) {
            throw new CorruptDataException("blob table pages of " + perPage + " entries", offset + HEAD + 8, -1);
        }
        long pages = (n + perPage - 1) / perPage;
        long want = (long) HEAD + 16 + DIR_ENTRY * pages + 4 + ENTRY_SIZE * n + 4;
        if (want != length) {
            throw new CorruptDataException("blob table of " + n + " entries needs " + want + " bytes, the section has "
                    + length, offset, -1);
        }
        byte[] dir = new byte[(int) (DIR_ENTRY * pages + 4)];
        readFully(ch, dir, offset + HEAD + 16);
        int dirCrc = Format.crc(dir, 0, dir.length - 4);
        if (LE.get32(dir, dir.length - 4) != dirCrc) {
            throw new ChecksumMismatchException("blob table directory CRC32C",
                    Format.hex32(LE.get32(dir, dir.length - 4)), Format.hex32(dirCrc), offset + HEAD + 16, -1);
        }
        for (int p = 1; p < pages; p++) {
            if (Arrays.compareUnsigned(dir, (p - 1) * DIR_ENTRY, (p - 1) * DIR_ENTRY + 32, dir, p * DIR_ENTRY,
                    p * DIR_ENTRY + 32) >= 0) {
                throw new CorruptDataException("blob table pages out of order at page " + p, offset + HEAD + 16, -1);
            }
        }
        return new BlobTable(ch, offset + HEAD, n, perPage, dir, offset + HEAD + 16 + dir.length, what);
    }

    /** Number of blobs in the table. */
    public long size() {
        return count;
    }

    private int pages() {
        return (int) ((count + perPage - 1) / perPage);
    }

    /** Where the blob {@code id} lies, or {@code null} if this table does not list it. */
    public Location find(BlobId id) throws IOException {
        int lo = 0;
        int hi = pages() - 1;
        int p = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (id.compareTo(directory, mid * DIR_ENTRY) >= 0) {
                p = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (p < 0) {
            return null;
        }
        byte[] b = page(p);
        int lo2 = 0;
        int hi2 = b.length / ENTRY_SIZE - 1;
        while (lo2 <= hi2) {
            int mid = (lo2 + hi2) >>> 1;
            int c = id.compareTo(b, mid * ENTRY_SIZE);
            if (c == 0) {
                return location(b, mid * ENTRY_SIZE, p);
            }
            if (c > 0) {
                lo2 = mid + 1;
            } else {
                hi2 = mid - 1;
            }
        }
        return null;
    }

    /** Every entry in ID order, page by page (each page read and checked once). */
    public void forEach(java.util.function.Consumer<Location> each) throws IOException {
        for (int p = 0; p < pages(); p++) {
            byte[] b = page(p);
            for (int at = 0; at < b.length; at += ENTRY_SIZE) {
                each.accept(location(b, at, p));
            }
        }
    }

    private Location location(byte[] b, int at, int p) throws CorruptDataException, UnsupportedFormatException {
        long block = LE.get32(b, at + 32) & 0xffff_ffffL;
        int offset = LE.get32(b, at + 36);
        int length = LE.get32(b, at + 40);
        int type = b[at + 44] & 0xff;
        if (offset < 0 || length < 1) {
            throw new CorruptDataException(what + ": entry " + (at / ENTRY_SIZE) + " of page " + p + " is invalid",
                    -1, -1);
        }
        // the page's CRC matched: a reserved byte or a type this version does not know was set by a newer writer
        if (b[at + 45] != 0 || b[at + 46] != 0 || b[at + 47] != 0) {
            throw new UnsupportedFormatException(what + ": entry " + (at / ENTRY_SIZE) + " of page " + p
                    + " has its reserved bytes set");
        }
        if (type > CHUNK_LIST) {
            throw new UnsupportedFormatException(what + ": entry " + (at / ENTRY_SIZE) + " of page " + p
                    + " has the unknown blob type " + type);
        }
        return new Location(BlobId.of(b, at), type, block, offset, length);
    }

    private byte[] page(int p) throws IOException {
        byte[] hit = pageCache.get(p);
        if (hit != null) {
            return hit;
        }
        int entries = (int) Math.min(perPage, count - (long) p * perPage);
        byte[] b = new byte[entries * ENTRY_SIZE];
        long at = entriesAt + (long) p * perPage * ENTRY_SIZE;
        readFully(ch, b, at);
        int crc = Format.crc(b, 0, b.length);
        int want = LE.get32(directory, p * DIR_ENTRY + BlobId.LENGTH);
        if (crc != want) {
            throw new ChecksumMismatchException("blob table page " + p + " CRC32C", Format.hex32(want),
                    Format.hex32(crc), at, -1);
        }
        if (Arrays.compare(b, 0, BlobId.LENGTH, directory, p * DIR_ENTRY, p * DIR_ENTRY + BlobId.LENGTH) != 0) {
            throw new CorruptDataException(what + ": page " + p + " does not start with its directory ID", at, -1);
        }
        for (int i = ENTRY_SIZE; i < b.length; i += ENTRY_SIZE) {
            if (Arrays.compareUnsigned(b, i - ENTRY_SIZE, i - ENTRY_SIZE + 32, b, i, i + 32) >= 0) {
                throw new CorruptDataException(what + ": page " + p + " is not sorted", at + i, -1);
            }
        }
        pageCache.put(p, b);
        cachedBytes += b.length;
        for (var it = pageCache.values().iterator(); cachedBytes > CACHE_BYTES && pageCache.size() > 1; ) {
            cachedBytes -= it.next().length;
            it.remove();
        }
        return b;
    }

    private static void readFully(FileChannel ch, byte[] b, long at) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) {
                throw new CorruptDataException("archive ends inside a blob table", at + buf.position(), -1);
            }
        }
    }
}
