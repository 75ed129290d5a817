package dev.mmh.archive.format;

import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes tree blobs (docs/FORMAT.md, "Trees"): a directory's entries sorted by name (kind 0), or the
 * pages of a directory too large for one blob (kind 1). Decoding checks every field against {@link Limits}, the
 * order and uniqueness of names and the consistency of each entry, so that what it returns can be used without
 * further checks; a tree's children are resolved (and checked for cycles) by the reader that walks them.
 * Stateless and thread-safe.
 */
public final class Trees {
    /** Tree kinds (first byte of a tree blob). */
    public static final int ENTRIES = 0;
    public static final int PAGES = 1;

    /** Chunk-list kinds (first byte of a chunk-list blob). */
    public static final int LIST_CHUNKS = 0;
    public static final int LIST_PAGES = 1;

    /** Field flags of an entry. */
    static final int HAS_OWNER = 1;
    static final int HAS_XATTRS = 2;
    static final int SPARSE = 4;
    static final int KNOWN_FLAGS = HAS_OWNER | HAS_XATTRS | SPARSE;

    /** Content forms of a file entry. */
    static final int INLINE = 0;
    static final int LIST_BLOB = 1;

    private Trees() {
    }

    /** A page of a large directory: its first name and the ID of its kind-0 tree. */
    public record Page(byte[] firstName, BlobId tree) {
    }

    /** A decoded tree blob: either entries (kind 0) or pages (kind 1); the other list is empty. */
    public record Tree(int kind, List<Entry> entries, List<Page> pages) {
    }

    /** A decoded chunk-list blob: either chunks (kind 0) or pages, each a kind-0 list and its total length. */
    public record ChunkList(int kind, List<ChunkRef> chunks, List<ChunkRef> pages) {
        /** Total length of the content this list describes. */
        public long length() {
            long n = 0;
            for (ChunkRef c : kind == LIST_CHUNKS ? chunks : pages) {
                n += c.length();
            }
            return n;
        }
    }

    /** Encodes a kind-0 tree of {@code entries}, which must be sorted by name without repeats. */
    public static byte[] encodeEntries(List<Entry> entries) {
        Wire.Out o = new Wire.Out(64 + 64 * entries.size());
        o.u8(ENTRIES).varint(entries.size());
        Entry prev = null;
        for (Entry e : entries) {
            if (prev != null && prev.compareName(e) >= 0) {
                throw new IllegalArgumentException("tree entries out of order or repeated: " + prev.displayName()
                        + ", " + e.displayName());
            }
            writeEntry(o, e);
            prev = e;
        }
        return o.toByteArray();
    }

    /** Bytes one entry takes in a tree blob (to decide where a large directory starts a new page). */
    public static int encodedSize(Entry e) {
        Wire.Out o = new Wire.Out(128);
        writeEntry(o, e);
        return o.size();
    }

    /** Encodes a kind-1 tree of pages in name order. */
    public static byte[] encodePages(List<Page> pages) {
        if (pages.size() < 2 || pages.size() > Limits.MAX_TREE_PAGES) {
            throw new IllegalArgumentException(pages.size() + " pages");
        }
        Wire.Out o = new Wire.Out(64 + 40 * pages.size());
        o.u8(PAGES).varint(pages.size());
        for (Page p : pages) {
            o.bytes(p.firstName());
            o.raw(p.tree().bytes());
        }
        return o.toByteArray();
    }

    private static void writeEntry(Wire.Out o, Entry e) {
        o.bytes(e.name());
        o.u8(e.type().code());
        int flags = (e.owner() != null ? HAS_OWNER : 0) | (e.xattrs().isEmpty() ? 0 : HAS_XATTRS)
                | (e.sparse() ? SPARSE : 0);
        o.varint(flags);
        o.varint(e.mode());
        o.svarint(e.mtimeSeconds()).varint(e.mtimeNanos());
        if (e.owner() != null) {
            Owner w = e.owner();
            o.varint(w.uid()).varint(w.gid()).bytes(w.user()).bytes(w.group());
        }
        if (!e.xattrs().isEmpty()) {
            o.varint(e.xattrs().size());
            for (Xattr x : e.xattrs()) {
                o.bytes(x.name()).bytes(x.value());
            }
        }
        switch (e.type()) {
            case FILE -> {
                o.varint(e.size());
                if (e.chunks() != null) {
                    o.u8(INLINE).varint(e.chunks().size());
                    for (ChunkRef c : e.chunks()) {
                        o.raw(c.id().bytes()).varint(c.length());
                    }
                } else {
                    o.u8(LIST_BLOB).raw(e.chunkList().bytes());
                }
            }
            case DIRECTORY -> o.raw(e.tree().bytes());
            case SYMLINK, HARDLINK -> o.bytes(e.target());
            case CHAR_DEVICE, BLOCK_DEVICE -> o.varint(e.major()).varint(e.minor());
            case FIFO -> {
            }
        }
    }

    /**
     * Decodes a tree blob.
     *
     * @param what names the blob in error messages (e.g. {@code "tree 3fa2c9d1e0b4"})
     * @throws CorruptDataException for any field that is out of range, out of order, or inconsistent
     * @throws UnsupportedFormatException for an unknown tree kind, entry type or field flag
     */
    public static Tree decode(byte[] blob, String what) throws CorruptDataException, UnsupportedFormatException {
        if (blob.length > Limits.MAX_META_BLOB) {
            throw new CorruptDataException(what + ": " + blob.length + " bytes, over the limit of "
                    + Limits.MAX_META_BLOB + " for a tree", -1, -1);
        }
        Wire.In in = new Wire.In(blob, what);
        int kind = in.u8("tree kind");
        if (kind == ENTRIES) {
            int n = in.count("entry count", Limits.MAX_TREE_ENTRIES);
            List<Entry> entries = new ArrayList<>(Math.min(n, 1024));
            Entry prev = null;
            for (int i = 0; i < n; i++) {
                Entry e = readEntry(in);
                if (prev != null && prev.compareName(e) >= 0) {
                    throw in.corrupt("entry " + e.displayName() + " is out of order or repeated");
                }
                entries.add(e);
                prev = e;
            }
            in.end();
            return new Tree(ENTRIES, entries, List.of());
        }
        if (kind == PAGES) {
            int n = in.count("page count", Limits.MAX_TREE_PAGES);
            if (n < 2) {
                throw in.corrupt("a paged tree has " + n + " page(s)");
            }
            List<Page> pages = new ArrayList<>(Math.min(n, 1024));
            byte[] prev = null;
            for (int i = 0; i < n; i++) {
                byte[] first = in.bytes("first name", Limits.MAX_NAME);
                if (Names.checkName(first) != null) {
                    throw in.corrupt("page " + i + " first name " + Names.display(first) + " is "
                            + Names.checkName(first));
                }
                if (prev != null && java.util.Arrays.compareUnsigned(prev, first) >= 0) {
                    throw in.corrupt("page " + i + " is out of order");
                }
                pages.add(new Page(first, in.id("page tree ID")));
                prev = first;
            }
            in.end();
            return new Tree(PAGES, List.of(), pages);
        }
        throw new UnsupportedFormatException(what + ": unknown tree kind " + kind);
    }

    private static Entry readEntry(Wire.In in) throws CorruptDataException, UnsupportedFormatException {
        byte[] name = in.bytes("name", Limits.MAX_NAME);
        String bad = Names.checkName(name);
        if (bad != null) {
            throw in.corrupt("entry name " + Names.display(name) + " is " + bad);
        }
        String shown = Names.display(name);
        int code = in.u8("type of " + shown);
        EntryType type = EntryType.of(code);
        if (type == null) {
            throw in.unsupported(shown + ": unknown entry type " + code);
        }
        long flags = in.varint("field flags of " + shown);
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw in.unsupported(shown + ": unknown field flags 0x" + Long.toHexString(flags));
        }
        Entry.Builder b = Entry.builder(name, type);
        b.mode((int) in.varint("mode of " + shown, 07777));
        long sec = in.svarint("mtime of " + shown);
        int nanos = (int) in.varint("mtime nanoseconds of " + shown, 999_999_999);
        b.mtime(sec, nanos);
        if ((flags & HAS_OWNER) != 0) {
            long uid = in.varint("uid of " + shown, 0xffff_ffffL);
            long gid = in.varint("gid of " + shown, 0xffff_ffffL);
            byte[] user = in.bytes("user of " + shown, Limits.MAX_OWNER_NAME);
            byte[] group = in.bytes("group of " + shown, Limits.MAX_OWNER_NAME);
            b.owner(new Owner(uid, gid, user, group));
        }
        if ((flags & HAS_XATTRS) != 0) {
            int n = in.count("xattr count of " + shown, Limits.MAX_XATTRS);
            if (n == 0) {
                throw in.corrupt(shown + ": xattr flag with no attributes");
            }
            List<Xattr> xs = new ArrayList<>(n);
            long total = 0;
            byte[] prev = null;
            for (int i = 0; i < n; i++) {
                byte[] xn = in.bytes("xattr name of " + shown, Limits.MAX_XATTR_NAME);
                byte[] xv = in.bytes("xattr value of " + shown, Limits.MAX_XATTR_VALUE);
                total += xn.length + xv.length;
                if (xn.length == 0 || total > Limits.MAX_XATTR_TOTAL) {
                    throw in.corrupt(shown + ": extended attribute " + i + " is empty or over the limit");
                }
                if (prev != null && java.util.Arrays.compareUnsigned(prev, xn) >= 0) {
                    throw in.corrupt(shown + ": extended attributes out of order or repeated");
                }
                xs.add(new Xattr(xn, xv));
                prev = xn;
            }
            b.xattrs(xs);
        }
        boolean sparse = (flags & SPARSE) != 0;
        if (sparse && type != EntryType.FILE) {
            throw in.corrupt(shown + ": only a file can be sparse");
        }
        switch (type) {
            case FILE -> {
                long size = in.varint("size of " + shown, Limits.MAX_FILE_SIZE);
                int form = in.u8("content form of " + shown);
                if (form == INLINE) {
                    int n = in.count("chunk count of " + shown, Limits.MAX_INLINE_CHUNKS);
                    List<ChunkRef> chunks = new ArrayList<>(n);
                    long sum = 0;
                    for (int i = 0; i < n; i++) {
                        BlobId id = in.id("chunk ID of " + shown);
                        long len = in.varint("chunk length of " + shown, Limits.MAX_FILE_SIZE);
                        if (len == 0) {
                            throw in.corrupt(shown + ": chunk " + i + " is empty");
                        }
                        sum += len;
                        if (sum > size) {
                            throw in.corrupt(shown + ": chunks longer than the file size " + size);
                        }
                        chunks.add(new ChunkRef(id, len));
                    }
                    if (sum != size) {
                        throw in.corrupt(shown + ": chunks add up to " + sum + " bytes, the size is " + size);
                    }
                    b.content(size, chunks, sparse);
                } else if (form == LIST_BLOB) {
                    b.content(size, in.id("chunk list ID of " + shown), sparse);
                } else {
                    throw in.unsupported(shown + ": unknown content form " + form);
                }
            }
            case DIRECTORY -> b.tree(in.id("tree ID of " + shown));
            case SYMLINK, HARDLINK -> {
                byte[] target = in.bytes("target of " + shown, Limits.MAX_TARGET);
                if (target.length == 0) {
                    throw in.corrupt(shown + ": empty link target");
                }
                for (byte x : target) {
                    if (x == 0) {
                        throw in.corrupt(shown + ": link target contains a NUL byte");
                    }
                }
                b.target(target);
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> b.major(in.varint("major of " + shown, 0xffff_ffffL))
                    .minor(in.varint("minor of " + shown, 0xffff_ffffL));
            case FIFO -> {
            }
        }
        return b.build();
    }

    /** Encodes a kind-0 chunk list. */
    public static byte[] encodeChunkList(List<ChunkRef> chunks) {
        return encodeList(LIST_CHUNKS, chunks);
    }

    /** Encodes a kind-1 chunk list: the IDs of kind-0 lists, each with the total length it describes. */
    public static byte[] encodeChunkListPages(List<ChunkRef> pages) {
        return encodeList(LIST_PAGES, pages);
    }

    private static byte[] encodeList(int kind, List<ChunkRef> refs) {
        if (refs.isEmpty() || refs.size() > Limits.MAX_LIST_CHUNKS) {
            throw new IllegalArgumentException(refs.size() + " chunks in one list");
        }
        Wire.Out o = new Wire.Out(8 + 40 * refs.size());
        o.u8(kind).varint(refs.size());
        for (ChunkRef c : refs) {
            o.raw(c.id().bytes()).varint(c.length());
        }
        return o.toByteArray();
    }

    /** Decodes a chunk-list blob. */
    public static ChunkList decodeChunkList(byte[] blob, String what)
            throws CorruptDataException, UnsupportedFormatException {
        if (blob.length > Limits.MAX_META_BLOB) {
            throw new CorruptDataException(what + ": " + blob.length + " bytes, over the limit for a chunk list", -1,
                    -1);
        }
        Wire.In in = new Wire.In(blob, what);
        int kind = in.u8("list kind");
        if (kind != LIST_CHUNKS && kind != LIST_PAGES) {
            throw new UnsupportedFormatException(what + ": unknown chunk list kind " + kind);
        }
        int n = in.count("chunk count", Limits.MAX_LIST_CHUNKS);
        if (n == 0 || kind == LIST_PAGES && n < 2) {
            throw in.corrupt(n + " entries in a chunk list of kind " + kind);
        }
        List<ChunkRef> refs = new ArrayList<>(Math.min(n, 4096));
        long sum = 0;
        for (int i = 0; i < n; i++) {
            BlobId id = in.id("chunk ID");
            long len = in.varint("chunk length", Limits.MAX_FILE_SIZE);
            if (len == 0) {
                throw in.corrupt("chunk " + i + " is empty");
            }
            if (kind == LIST_PAGES && id.isHole()) {
                throw in.corrupt("page " + i + " is a hole");
            }
            sum += len;
            if (sum > Limits.MAX_FILE_SIZE) {
                throw in.corrupt("chunks add up to more than " + Limits.MAX_FILE_SIZE + " bytes");
            }
            refs.add(new ChunkRef(id, len));
        }
        in.end();
        return kind == LIST_CHUNKS ? new ChunkList(kind, refs, List.of()) : new ChunkList(kind, List.of(), refs);
    }
}
