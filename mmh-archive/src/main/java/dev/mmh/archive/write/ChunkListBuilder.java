package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Limits;
import dev.mmh.archive.format.Trees;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a file's chunk list as its chunks arrive: up to {@link Limits#MAX_INLINE_CHUNKS} stay inline in the tree
 * entry; a longer list becomes a chunk-list blob, stored in pages of {@link Limits#MAX_LIST_CHUNKS} as it grows (so
 * a file of any size costs one page of memory) and tied together by a list of pages when there is more than one.
 * Not thread-safe.
 */
public final class ChunkListBuilder {
    private final MetaSink sink;
    private final List<ChunkRef> current = new ArrayList<>();
    private final List<ChunkRef> pages = new ArrayList<>();
    private long pageLength;
    private long length;

    public ChunkListBuilder(MetaSink sink) {
        this.sink = sink;
    }

    /** Appends the next chunk of the file (a hole has the ID {@link BlobId#HOLE}); adjacent holes merge. */
    public void add(ChunkRef c) throws IOException {
        if (c.isHole() && !current.isEmpty() && current.get(current.size() - 1).isHole()) {
            ChunkRef prev = current.remove(current.size() - 1);
            current.add(new ChunkRef(BlobId.HOLE, prev.length() + c.length()));
        } else {
            if (current.size() == Limits.MAX_LIST_CHUNKS) {
                flushPage();
            }
            current.add(c);
        }
        pageLength += c.length();
        length += c.length();
    }

    private void flushPage() throws IOException {
        if (pages.size() == Limits.MAX_LIST_CHUNKS) {
            throw new IOException("file of more than " + (long) Limits.MAX_LIST_CHUNKS * Limits.MAX_LIST_CHUNKS
                    + " chunks");
        }
        pages.add(new ChunkRef(sink.put(Trees.encodeChunkList(current), BlobTable.CHUNK_LIST), pageLength));
        current.clear();
        pageLength = 0;
    }

    /** Total length of the chunks added. */
    public long length() {
        return length;
    }

    /** Whether the list fits in the tree entry: then {@link #inline()} is it, else {@link #finishBlob()}. */
    public boolean isInline() {
        return pages.isEmpty() && current.size() <= Limits.MAX_INLINE_CHUNKS;
    }

    public List<ChunkRef> inline() {
        return List.copyOf(current);
    }

    /** Stores the list and returns the ID of the chunk-list blob the entry points at. */
    public BlobId finishBlob() throws IOException {
        if (pages.isEmpty()) {
            return sink.put(Trees.encodeChunkList(current), BlobTable.CHUNK_LIST);
        }
        if (!current.isEmpty()) {
            flushPage();
        }
        if (pages.size() == 1) {
            return pages.get(0).id();
        }
        return sink.put(Trees.encodeChunkListPages(pages), BlobTable.CHUNK_LIST);
    }
}
