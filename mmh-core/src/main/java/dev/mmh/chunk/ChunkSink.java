package dev.mmh.chunk;

import java.io.IOException;

/** Receives the chunks a {@link Chunker} finds, in input order. */
@FunctionalInterface
public interface ChunkSink {
    /**
     * One chunk: the input's bytes {@code [start, end)}, absolute offsets from the start of the input.
     *
     * @param id the chunk's 32-byte ID when the chunker computes IDs, else {@code null}; the array belongs to the
     *     chunker and is overwritten after this call returns (copy it to keep it)
     * @throws IOException passed on to the caller of {@link Chunker#update} or {@link Chunker#finish}
     */
    void chunk(long start, long end, byte[] id) throws IOException;
}
