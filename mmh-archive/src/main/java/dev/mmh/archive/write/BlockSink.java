package dev.mmh.archive.write;

import java.io.IOException;

/**
 * Where the packer's blocks go: the block engine of a folder archive (analysed, compressed and checksummed on the
 * worker pool, written in order), or a repository's pack writer. Called from one thread.
 */
public interface BlockSink {
    /** Largest raw block, bytes. */
    int blockSize();

    /** An array of at least {@link #blockSize()} bytes to fill (pooled). */
    byte[] buffer();

    /**
     * Hands over a block: its raw bytes {@code raw[0, length)}, holding data chunks or, when {@code meta}, trees and
     * chunk lists. The array belongs to the sink from now on.
     *
     * @return the block's number, in the order blocks are handed over
     */
    long write(byte[] raw, int length, boolean meta) throws IOException;
}
