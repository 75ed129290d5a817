package dev.mmh.archive.read;

import dev.mmh.archive.format.BlobId;
import java.io.IOException;

/**
 * Gives blobs by ID: a folder archive's blocks through its blob tables, or a repository's packs through its index.
 * Implementations are thread-safe.
 */
public interface BlobSource {
    /**
     * The bytes of the blob {@code id} of type {@code type} (one of the {@code BlobTable} types).
     *
     * @throws dev.mmh.CorruptDataException if the source does not hold it, or holds it with another type
     * @throws IOException if reading or decoding the block that holds it fails
     */
    byte[] get(BlobId id, int type) throws IOException;

    /**
     * Copies {@code length} bytes of the data blob {@code id}, from {@code offset} on, into {@code dst}: a file's
     * chunk, read without materialising more than the block that holds it. The default reads the whole blob.
     */
    default void read(BlobId id, long offset, byte[] dst, int dstOffset, int length) throws IOException {
        byte[] b = get(id, dev.mmh.archive.format.BlobTable.DATA);
        if (offset < 0 || offset + length > b.length) {
            throw new dev.mmh.CorruptDataException("chunk " + id.shortHex() + " has " + b.length + " bytes, not "
                    + (offset + length), -1, -1);
        }
        System.arraycopy(b, (int) offset, dst, dstOffset, length);
    }
}
