package dev.mmh.archive.format;

/** The kind of a tree entry, with its code in the tree encoding (docs/FORMAT.md, "Trees"). */
public enum EntryType {
    FILE(0), DIRECTORY(1), SYMLINK(2), HARDLINK(3), FIFO(4), CHAR_DEVICE(5), BLOCK_DEVICE(6);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or {@code null} if there is none. */
    public static EntryType of(int code) {
        EntryType[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }

    public boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }
}
