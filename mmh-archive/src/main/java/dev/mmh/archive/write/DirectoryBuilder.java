package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.Limits;
import dev.mmh.archive.format.Trees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one directory's tree from its entries, given in name order: a single tree blob, or, for a directory too
 * large for one (over {@link Limits#MAX_TREE_ENTRIES} entries or {@link Limits#TREE_PAGE_BYTES} bytes), pages
 * stored as they fill and a tree that lists them, so memory stays at one page whatever the directory's size.
 * Not thread-safe.
 */
public final class DirectoryBuilder {
    private final MetaSink sink;
    private final List<Entry> page = new ArrayList<>();
    private final List<Trees.Page> pages = new ArrayList<>();
    private int pageBytes;
    private Entry last;

    public DirectoryBuilder(MetaSink sink) {
        this.sink = sink;
    }

    /** Adds the next entry; names must increase. */
    public void add(Entry e) throws IOException {
        if (last != null && last.compareName(e) >= 0) {
            throw new IllegalArgumentException("entries out of order: " + last.displayName() + ", " + e.displayName());
        }
        int size = Trees.encodedSize(e);
        if (!page.isEmpty() && (page.size() == Limits.MAX_TREE_ENTRIES || pageBytes + size > Limits.TREE_PAGE_BYTES)) {
            flushPage();
        }
        page.add(e);
        pageBytes += size;
        last = e;
    }

    private void flushPage() throws IOException {
        if (pages.size() == Limits.MAX_TREE_PAGES) {
            throw new IOException("directory of more than " + (long) Limits.MAX_TREE_PAGES * Limits.MAX_TREE_ENTRIES
                    + " entries");
        }
        BlobId id = sink.put(Trees.encodeEntries(page), BlobTable.TREE);
        pages.add(new Trees.Page(page.get(0).name(), id));
        page.clear();
        pageBytes = 0;
    }

    /** Stores what is left and returns the directory's tree ID. */
    public BlobId finish() throws IOException {
        if (pages.isEmpty()) {
            return sink.put(Trees.encodeEntries(page), BlobTable.TREE);
        }
        if (!page.isEmpty()) {
            flushPage();
        }
        if (pages.size() == 1) {
            return pages.get(0).tree();
        }
        return sink.put(Trees.encodePages(pages), BlobTable.TREE);
    }
}
