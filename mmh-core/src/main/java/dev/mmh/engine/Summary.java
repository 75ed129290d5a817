package dev.mmh.engine;

/**
 * What a compression or decompression run did.
 *
 * @param rawBytes uncompressed bytes
 * @param archiveBytes bytes of the archive
 * @param blocks number of blocks
 * @param contentId the archive's content ID (Merkle root, 32 bytes)
 */
public record Summary(long rawBytes, long archiveBytes, long blocks, byte[] contentId) {
}
