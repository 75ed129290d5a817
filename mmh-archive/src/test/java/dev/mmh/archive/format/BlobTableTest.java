package dev.mmh.archive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobTableTest {
    @TempDir
    Path dir;

    private static List<BlobTable.Location> locations(int n, long seed) {
        Random r = new Random(seed);
        List<BlobTable.Location> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            l.add(new BlobTable.Location(BlobId.of(id), r.nextInt(3), r.nextInt(1000), r.nextInt(1 << 23),
                    1 + r.nextInt(1 << 20)));
        }
        return l;
    }

    /** Writes {@code section} at offset 100 of a file, behind junk, and opens it. */
    private FileChannel write(byte[] section) throws Exception {
        Path f = dir.resolve("t" + System.nanoTime());
        byte[] all = new byte[100 + section.length + 50];
        new Random(1).nextBytes(all);
        System.arraycopy(section, 0, all, 100, section.length);
        Files.write(f, all);
        return FileChannel.open(f, StandardOpenOption.READ);
    }

    @Test
    void findsEveryBlobItListsAndNoOther() throws Exception {
        for (int n : new int[] {0, 1, 4095, 4096, 4097, 10_000}) {
            List<BlobTable.Location> locs = locations(n, n);
            byte[] s = BlobTable.encode(locs);
            try (FileChannel ch = write(s)) {
                BlobTable t = BlobTable.open(ch, 100, s.length);
                assertEquals(n, t.size());
                for (BlobTable.Location l : locs) {
                    assertEquals(l, t.find(l.id()), "n=" + n);
                }
                for (BlobTable.Location l : locations(50, -1 - n)) {
                    assertNull(t.find(l.id()));
                }
                Map<BlobId, BlobTable.Location> seen = new HashMap<>();
                BlobId[] prev = {null};
                t.forEach(l -> {
                    assertTrue(prev[0] == null || prev[0].compareTo(l.id()) < 0, "sorted");
                    prev[0] = l.id();
                    seen.put(l.id(), l);
                });
                assertEquals(n, seen.size());
            }
        }
    }

    @Test
    void damageAnywhereIsFoundWhenThatPartIsRead() throws Exception {
        List<BlobTable.Location> locs = locations(9000, 7);
        byte[] s = BlobTable.encode(locs);
        Random r = new Random(3);
        for (int round = 0; round < 300; round++) {
            byte[] d = s.clone();
            int at = r.nextInt(d.length);
            d[at] ^= (byte) (1 + r.nextInt(255));
            try (FileChannel ch = write(d)) {
                try {
                    BlobTable t = BlobTable.open(ch, 100, d.length);
                    // opened: the damage is in the entries; every lookup either fails or is right
                    for (BlobTable.Location l : locs) {
                        assertEquals(l, t.find(l.id()));
                    }
                    throw new AssertionError("damage at " + at + " of " + d.length + " not found");
                } catch (MmhException expected) {
                    assertTrue(expected instanceof CorruptDataException, expected.toString());
                }
            }
        }
    }

    @Test
    void aPageWithABadChecksumIsNamed() throws Exception {
        byte[] s = BlobTable.encode(locations(5000, 11));
        int entriesAt = 16 + 16 + 36 * 2 + 4;
        s[entriesAt + 4096 * 48 + 10] ^= 1; // page 1
        try (FileChannel ch = write(s)) {
            BlobTable t = BlobTable.open(ch, 100, s.length);
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> t.forEach(l -> { }));
            assertTrue(e.getMessage().contains("page 1"), e.getMessage());
        }
    }

    @Test
    void refusesATruncatedOrMislabelledSection() throws Exception {
        byte[] s = BlobTable.encode(locations(10, 1));
        try (FileChannel ch = write(s)) {
            assertThrows(CorruptDataException.class, () -> BlobTable.open(ch, 100, s.length - 48));
            assertThrows(CorruptDataException.class, () -> BlobTable.open(ch, 101, s.length));
        }
    }

    @Test
    void refusesRepeatedIds() {
        List<BlobTable.Location> l = locations(3, 5);
        l.add(l.get(1));
        assertThrows(IllegalArgumentException.class, () -> BlobTable.encode(l));
    }
}
