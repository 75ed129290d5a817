package dev.mmh.hash;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming Merkle tree over the blocks of an archive; its root is the archive's content ID.
 *
 * <p>Leaf {@code i} is {@code SHA-256(0x00 || u64le i || u64le rawSize || rawHash)}; an inner node is
 * {@code SHA-256(0x01 || left || right)}. The tree is left-balanced: leaves are paired left to right at each
 * level and an odd last node is carried up unchanged. The root of zero blocks is {@code SHA-256("")}. Adding a
 * leaf costs amortised O(1) hashes and the builder keeps O(log n) nodes, so any number of blocks fits.
 * Not thread-safe.
 */
public final class MerkleTree {
    private final List<byte[]> stack = new ArrayList<>();
    private final List<Integer> heights = new ArrayList<>();
    private long leaves;

    /** Adds the next block's leaf. */
    public void add(long rawSize, byte[] rawHash) {
        MessageDigest md = ContentHash.Sha.get();
        md.update((byte) 0);
        md.update(le64(leaves));
        md.update(le64(rawSize));
        md.update(rawHash);
        byte[] node = md.digest();
        int h = 0;
        // merge equal-height subtrees, like incrementing a binary counter
        while (!heights.isEmpty() && heights.get(heights.size() - 1) == h) {
            byte[] left = stack.remove(stack.size() - 1);
            heights.remove(heights.size() - 1);
            node = inner(left, node);
            h++;
        }
        stack.add(node);
        heights.add(h);
        leaves++;
    }

    /** Number of leaves added. */
    public long size() {
        return leaves;
    }

    /** The root over the leaves added so far (32 bytes); the builder stays usable. */
    public byte[] root() {
        if (stack.isEmpty()) {
            return ContentHash.Sha.get().digest();
        }
        byte[] node = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            node = inner(stack.get(i), node);
        }
        return node;
    }

    private static byte[] inner(byte[] left, byte[] right) {
        MessageDigest md = ContentHash.Sha.get();
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    private static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
