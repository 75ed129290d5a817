package dev.mmh.archive.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a tree (a directory listing): its name in the directory, type and metadata, and what it holds — a
 * file's chunks, a directory's tree ID, a link's target, a device's numbers. Immutable; make one with
 * {@link #builder(byte[], EntryType)}. Names and link targets are bytes, as the file system gave them.
 */
public final class Entry {
    private final byte[] name;
    private final EntryType type;
    private final int mode;
    private final long mtimeSeconds;
    private final int mtimeNanos;
    private final Owner owner;
    private final List<Xattr> xattrs;
    private final boolean sparse;
    private final long size;
    private final List<ChunkRef> chunks;
    private final BlobId chunkList;
    private final BlobId tree;
    private final byte[] target;
    private final long major;
    private final long minor;

    private Entry(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.mode = b.mode;
        this.mtimeSeconds = b.mtimeSeconds;
        this.mtimeNanos = b.mtimeNanos;
        this.owner = b.owner;
        this.xattrs = List.copyOf(b.xattrs);
        this.sparse = b.sparse;
        this.size = b.size;
        this.chunks = b.chunks == null ? null : List.copyOf(b.chunks);
        this.chunkList = b.chunkList;
        this.tree = b.tree;
        this.target = b.target;
        this.major = b.major;
        this.minor = b.minor;
    }

    public static Builder builder(byte[] name, EntryType type) {
        return new Builder(name, type);
    }

    /** A builder holding this entry's fields, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder(name, type).mode(mode).mtime(mtimeSeconds, mtimeNanos).owner(owner).xattrs(xattrs)
                .major(major).minor(minor);
        b.sparse = sparse;
        b.size = size;
        b.chunks = chunks;
        b.chunkList = chunkList;
        b.tree = tree;
        b.target = target;
        return b;
    }

    /** The name's bytes (a copy). */
    public byte[] name() {
        return name.clone();
    }

    /** Compares this entry's name with {@code other}'s as unsigned bytes: the order of a tree. */
    public int compareName(Entry other) {
        return Arrays.compareUnsigned(name, other.name);
    }

    /** Compares this entry's name with {@code n} as unsigned bytes. */
    public int compareName(byte[] n) {
        return Arrays.compareUnsigned(name, n);
    }

    /** The name for display: UTF-8, with anything that is not valid UTF-8 or is a control character escaped. */
    public String displayName() {
        return Names.display(name);
    }

    public EntryType type() {
        return type;
    }

    /** The 12 permission bits (07777). */
    public int mode() {
        return mode;
    }

    public long mtimeSeconds() {
        return mtimeSeconds;
    }

    public int mtimeNanos() {
        return mtimeNanos;
    }

    /** The owner, or {@code null} when not stored (without {@code --owner}). */
    public Owner owner() {
        return owner;
    }

    /** Extended attributes sorted by name; empty when none were stored. */
    public List<Xattr> xattrs() {
        return xattrs;
    }

    /** Whether the file was sparse: its holes are restored as holes. */
    public boolean sparse() {
        return sparse;
    }

    /** A file's size in bytes; 0 for other types. */
    public long size() {
        return size;
    }

    /** A file's chunks when listed in the tree, else {@code null} (see {@link #chunkList()}). */
    public List<ChunkRef> chunks() {
        return chunks;
    }

    /** The ID of a file's chunk-list blob when its list is long, else {@code null}. */
    public BlobId chunkList() {
        return chunkList;
    }

    /** A directory's tree ID. */
    public BlobId tree() {
        return tree;
    }

    /** A symbolic link's target, or the path of a hard link's file from the version's root (copies). */
    public byte[] target() {
        return target == null ? null : target.clone();
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && Arrays.equals(name, e.name) && type == e.type && mode == e.mode
                && mtimeSeconds == e.mtimeSeconds && mtimeNanos == e.mtimeNanos && Objects.equals(owner, e.owner)
                && xattrs.equals(e.xattrs) && sparse == e.sparse && size == e.size
                && Objects.equals(chunks, e.chunks) && Objects.equals(chunkList, e.chunkList)
                && Objects.equals(tree, e.tree) && Arrays.equals(target, e.target) && major == e.major
                && minor == e.minor;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name) * 31 + type.hashCode() * 17 + Long.hashCode(size + mtimeSeconds);
    }

    @Override
    public String toString() {
        return type + " " + displayName() + (type == EntryType.FILE ? " " + size : "");
    }

    /** Fields of an entry under construction; {@link #build()} checks that they fit the format. */
    public static final class Builder {
        private final byte[] name;
        private final EntryType type;
        private int mode;
        private long mtimeSeconds;
        private int mtimeNanos;
        private Owner owner;
        private List<Xattr> xattrs = List.of();
        private boolean sparse;
        private long size;
        private List<ChunkRef> chunks;
        private BlobId chunkList;
        private BlobId tree;
        private byte[] target;
        private long major;
        private long minor;

        private Builder(byte[] name, EntryType type) {
            this.name = name.clone();
            this.type = Objects.requireNonNull(type);
        }

        public Builder mode(int mode) {
            this.mode = mode;
            return this;
        }

        public Builder mtime(long seconds, int nanos) {
            this.mtimeSeconds = seconds;
            this.mtimeNanos = nanos;
            return this;
        }

        public Builder owner(Owner owner) {
            this.owner = owner;
            return this;
        }

        public Builder xattrs(List<Xattr> xattrs) {
            this.xattrs = xattrs.stream().sorted().toList();
            return this;
        }

        /** A file's content: its size and its chunks listed in the tree. */
        public Builder content(long size, List<ChunkRef> chunks, boolean sparse) {
            this.size = size;
            this.chunks = chunks;
            this.chunkList = null;
            this.sparse = sparse;
            return this;
        }

        /** A file's content: its size and the ID of its chunk-list blob. */
        public Builder content(long size, BlobId chunkList, boolean sparse) {
            this.size = size;
            this.chunkList = chunkList;
            this.chunks = null;
            this.sparse = sparse;
            return this;
        }

        public Builder tree(BlobId tree) {
            this.tree = tree;
            return this;
        }

        /** A symbolic link's target, or a hard link's path from the version's root. */
        public Builder target(byte[] target) {
            this.target = target.clone();
            return this;
        }

        public Builder target(String target) {
            return target(target.getBytes(StandardCharsets.UTF_8));
        }

        public Builder major(long major) {
            this.major = major;
            return this;
        }

        public Builder minor(long minor) {
            this.minor = minor;
            return this;
        }

        /** @throws IllegalArgumentException naming the field that does not fit the format */
        public Entry build() {
            String bad = Names.checkName(name);
            if (bad != null) {
                throw new IllegalArgumentException("entry name " + Names.display(name) + ": " + bad);
            }
            if ((mode & ~07777) != 0) {
                throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has bits beyond 07777");
            }
            if (mtimeNanos < 0 || mtimeNanos > 999_999_999) {
                throw new IllegalArgumentException("nanoseconds " + mtimeNanos);
            }
            switch (type) {
                case FILE -> {
                    if (size < 0 || (chunks == null) == (chunkList == null)) {
                        throw new IllegalArgumentException("a file needs a size and either chunks or a chunk list");
                    }
                    if (chunks != null && chunks.stream().mapToLong(ChunkRef::length).sum() != size) {
                        throw new IllegalArgumentException("chunk lengths do not add up to the file size " + size);
                    }
                }
                case DIRECTORY -> {
                    if (tree == null) {
                        throw new IllegalArgumentException("a directory needs a tree ID");
                    }
                }
                case SYMLINK, HARDLINK -> {
                    if (target == null || target.length == 0 || target.length > Limits.MAX_TARGET) {
                        throw new IllegalArgumentException("a link needs a target of 1 to " + Limits.MAX_TARGET
                                + " bytes");
                    }
                }
                default -> {
                }
            }
            if (major < 0 || minor < 0) {
                throw new IllegalArgumentException("negative device number");
            }
            return new Entry(this);
        }
    }
}
