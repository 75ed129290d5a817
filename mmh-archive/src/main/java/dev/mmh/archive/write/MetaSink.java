package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import java.io.IOException;

/** Stores a metadata blob (a tree or a chunk list) once, and gives its ID. */
public interface MetaSink {
    /** @param type {@code BlobTable.TREE} or {@code BlobTable.CHUNK_LIST} */
    BlobId put(byte[] blob, int type) throws IOException;
}
