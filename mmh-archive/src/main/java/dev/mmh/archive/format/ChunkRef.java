package dev.mmh.archive.format;

/**
 * One piece of a file's content: the blob with this ID and its length in bytes ({@link BlobId#HOLE} for a hole of
 * a sparse file, which is not stored).
 */
public record ChunkRef(BlobId id, long length) {
    public ChunkRef {
        if (id == null || length < 1) {
            throw new IllegalArgumentException("a chunk has an ID and at least one byte");
        }
    }

    public boolean isHole() {
        return id.isHole();
    }
}
