package dev.mmh.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    /** The tree as docs/FORMAT.md defines it, level by level, odd node carried up. */
    private static byte[] reference(List<byte[]> hashes, List<Long> sizes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (hashes.isEmpty()) {
            return md.digest();
        }
        List<byte[]> level = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            ByteBuffer b = ByteBuffer.allocate(17 + hashes.get(i).length).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 0).putLong(i).putLong(sizes.get(i)).put(hashes.get(i));
            level.add(md.digest(b.array()));
        }
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                if (i + 1 == level.size()) {
                    up.add(level.get(i));
                } else {
                    md.update((byte) 1);
                    md.update(level.get(i));
                    up.add(md.digest(level.get(i + 1)));
                }
            }
            level = up;
        }
        return level.get(0);
    }

    @Test
    void streamingRootEqualsLevelByLevelTreeForEveryCountUpTo70() throws Exception {
        List<byte[]> hashes = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        MerkleTree t = new MerkleTree();
        assertArrayEquals(reference(hashes, sizes), t.root());
        for (int n = 1; n <= 70; n++) {
            byte[] h = new byte[8];
            Arrays.fill(h, (byte) n);
            hashes.add(h);
            sizes.add(1000L + n);
            t.add(1000L + n, h);
            assertArrayEquals(reference(hashes, sizes), t.root(), "n=" + n);
        }
    }

    @Test
    void rootDependsOnOrderAndSizes() {
        MerkleTree a = new MerkleTree();
        MerkleTree b = new MerkleTree();
        MerkleTree c = new MerkleTree();
        a.add(1, new byte[] {1});
        a.add(1, new byte[] {2});
        b.add(1, new byte[] {2});
        b.add(1, new byte[] {1});
        c.add(1, new byte[] {1});
        c.add(2, new byte[] {2});
        assertFalse(Arrays.equals(a.root(), b.root()));
        assertFalse(Arrays.equals(a.root(), c.root()));
    }
}
