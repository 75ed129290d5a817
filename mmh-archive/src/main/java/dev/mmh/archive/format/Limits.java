package dev.mmh.archive.format;

/** What a folder-archive reader accepts (docs/FORMAT.md, "Limits a reader enforces (folder archives)"). */
public final class Limits {
    private Limits() {
    }

    /** Longest entry name in bytes. */
    public static final int MAX_NAME = 4095;
    /** Longest symbolic-link target or hard-link path in bytes. */
    public static final int MAX_TARGET = 4095;
    /** Deepest path from a version's root. */
    public static final int MAX_DEPTH = 1024;
    /** Entries in one tree blob (a larger directory is split into pages). */
    public static final int MAX_TREE_ENTRIES = 16_384;
    /** Pages of one directory (kind-1 tree). */
    public static final int MAX_TREE_PAGES = 16_384;
    /** Largest tree or chunk-list blob in bytes. */
    public static final int MAX_META_BLOB = 4 << 20;
    /** Size of a tree blob above which a writer starts a new page. */
    public static final int TREE_PAGE_BYTES = 1 << 20;
    /** Chunks listed inline in a tree entry; a longer list is a chunk-list blob. */
    public static final int MAX_INLINE_CHUNKS = 64;
    /** Chunks in one kind-0 chunk list, and pages in a kind-1 list. */
    public static final int MAX_LIST_CHUNKS = 65_536;
    /** Extended attributes of one entry; longest name and value. */
    public static final int MAX_XATTRS = 1024;
    public static final int MAX_XATTR_NAME = 255;
    public static final int MAX_XATTR_VALUE = 64 << 10;
    /** All names and values of one entry's extended attributes together. */
    public static final int MAX_XATTR_TOTAL = 256 << 10;
    /** Longest user or group name. */
    public static final int MAX_OWNER_NAME = 255;
    /** Versions in one archive; blob tables in one archive. */
    public static final int MAX_VERSIONS = 1 << 20;
    public static final int MAX_BLOB_TABLES = 1 << 20;
    /** Entries in one version (a reader never visits more, whatever the trees say). */
    public static final long MAX_ENTRIES = 1L << 32;
    /** Largest file size a reader believes (2^62 bytes). */
    public static final long MAX_FILE_SIZE = 1L << 62;
}
