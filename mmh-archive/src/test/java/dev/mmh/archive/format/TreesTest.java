package dev.mmh.archive.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TreesTest {
    static BlobId id(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return BlobId.of(b);
    }

    static byte[] n(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One entry of every type and every optional field. */
    static List<Entry> everyKind() {
        List<Entry> l = new ArrayList<>();
        l.add(Entry.builder(n("a.txt"), EntryType.FILE).mode(0644).mtime(1_700_000_000L, 123_456_789)
                .content(10, List.of(new ChunkRef(id(1), 4), new ChunkRef(id(2), 6)), false).build());
        l.add(Entry.builder(n("big.bin"), EntryType.FILE).mode(0600).mtime(-5, 0).content(1L << 40, id(3), false)
                .build());
        l.add(Entry.builder(n("dir"), EntryType.DIRECTORY).mode(0755).mtime(0, 1).tree(id(4))
                .owner(Owner.of(1000, 1000, "ann", "staff")).build());
        l.add(Entry.builder(n("empty"), EntryType.FILE).mode(0).mtime(1, 2).content(0, List.of(), false).build());
        l.add(Entry.builder(n("fifo"), EntryType.FIFO).mode(0644).build());
        l.add(Entry.builder(n("hard"), EntryType.HARDLINK).mode(0644).target("proj/a.txt").build());
        l.add(Entry.builder(n("link"), EntryType.SYMLINK).mode(0777).target("../../etc/passwd").build());
        l.add(Entry.builder(n("null"), EntryType.CHAR_DEVICE).mode(0666).major(1).minor(3).build());
        l.add(Entry.builder(n("sda"), EntryType.BLOCK_DEVICE).mode(0660).major(8).minor(0).build());
        l.add(Entry.builder(n("sparse"), EntryType.FILE).mode(04755).mtime(3, 4)
                .content(1 << 20, List.of(new ChunkRef(BlobId.HOLE, 1 << 19), new ChunkRef(id(5), 1 << 19)), true)
                .xattrs(List.of(new Xattr(n("user.b"), n("2")), new Xattr(n("user.a"), new byte[] {0, 1, 2})))
                .build());
        l.add(Entry.builder(new byte[] {(byte) 0xff, 'x', (byte) 0xc3}, EntryType.FILE).mode(0644)
                .content(1, List.of(new ChunkRef(id(6), 1)), false).build());
        l.sort(Entry::compareName);
        return l;
    }

    @Test
    void everyEntryTypeAndFieldRoundTrips() throws Exception {
        List<Entry> entries = everyKind();
        byte[] blob = Trees.encodeEntries(entries);
        Trees.Tree t = Trees.decode(blob, "tree");
        assertEquals(Trees.ENTRIES, t.kind());
        assertEquals(entries, t.entries());
        // the encoding is a function of the entries: encoding the decoded tree gives the same bytes
        assertArrayEquals(blob, Trees.encodeEntries(t.entries()));
        // xattrs were sorted by name when built
        Entry sparse = t.entries().stream().filter(e -> e.displayName().equals("sparse")).findFirst().orElseThrow();
        assertEquals("user.a", new String(sparse.xattrs().get(0).name(), StandardCharsets.UTF_8));
        assertTrue(sparse.sparse());
    }

    @Test
    void randomTreesRoundTrip() throws Exception {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            TreeMap<String, Entry> m = new TreeMap<>();
            int count = r.nextInt(50);
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[1 + r.nextInt(20)];
                for (int k = 0; k < name.length; k++) {
                    int c;
                    do {
                        c = r.nextInt(256);
                    } while (c == '/' || c == 0);
                    name[k] = (byte) c;
                }
                if (Names.checkName(name) != null) {
                    continue;
                }
                EntryType type = EntryType.values()[r.nextInt(EntryType.values().length)];
                Entry.Builder b = Entry.builder(name, type).mode(r.nextInt(07777 + 1))
                        .mtime(r.nextLong() >> r.nextInt(64), r.nextInt(1_000_000_000));
                if (r.nextBoolean()) {
                    b.owner(Owner.of(r.nextInt(70000), r.nextInt(70000), "u" + r.nextInt(9), ""));
                }
                switch (type) {
                    case FILE -> {
                        List<ChunkRef> cs = new ArrayList<>();
                        long size = 0;
                        for (int k = r.nextInt(5); k > 0; k--) {
                            long len = 1 + r.nextInt(100000);
                            cs.add(new ChunkRef(id(r.nextInt()), len));
                            size += len;
                        }
                        if (r.nextInt(4) == 0) {
                            b.content(size + r.nextInt(9), id(r.nextInt()), false);
                        } else {
                            b.content(size, cs, false);
                        }
                    }
                    case DIRECTORY -> b.tree(id(r.nextInt()));
                    case SYMLINK, HARDLINK -> b.target("t/" + r.nextInt());
                    case CHAR_DEVICE, BLOCK_DEVICE -> b.major(r.nextInt(300)).minor(r.nextInt(1 << 20));
                    default -> {
                    }
                }
                m.put(new String(name, StandardCharsets.ISO_8859_1), b.build());
            }
            List<Entry> entries = new ArrayList<>(m.values());
            entries.sort(Entry::compareName);
            assertEquals(entries, Trees.decode(Trees.encodeEntries(entries), "t").entries());
        }
    }

    @Test
    void everyTruncationFailsAsCorrupt() throws Exception {
        byte[] blob = Trees.encodeEntries(everyKind());
        for (int len = 0; len < blob.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(blob, len);
            MmhException e = assertThrows(MmhException.class, () -> Trees.decode(cut, "tree x"), "length " + len);
            assertTrue(e instanceof CorruptDataException, e.toString());
            assertTrue(e.getMessage().startsWith("tree x: "), e.getMessage());
        }
        byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 1);
        assertThrows(CorruptDataException.class, () -> Trees.decode(longer, "t"));
    }

    @Test
    void everyByteFlipEitherFailsOrDecodesToAValidTree() throws Exception {
        byte[] blob = Trees.encodeEntries(everyKind());
        for (int i = 0; i < blob.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = blob.clone();
                b[i] ^= (byte) (1 << bit);
                try {
                    Trees.Tree t = Trees.decode(b, "t");
                    // what decoded is a well-formed tree: it re-encodes to exactly these bytes
                    assertArrayEquals(b, Trees.encodeEntries(t.entries()), "flip " + i + "." + bit);
                } catch (CorruptDataException | UnsupportedFormatException expected) {
                    // detected
                } catch (RuntimeException e) {
                    fail("flip at " + i + "." + bit + " escaped as " + e);
                }
            }
        }
    }

    @Test
    void refusesEntriesOutOfOrderOrRepeatedWhenWritingAndReading() throws Exception {
        Entry a = Entry.builder(n("a"), EntryType.FIFO).build();
        Entry b = Entry.builder(n("b"), EntryType.FIFO).build();
        assertThrows(IllegalArgumentException.class, () -> Trees.encodeEntries(List.of(b, a)));
        assertThrows(IllegalArgumentException.class, () -> Trees.encodeEntries(List.of(a, a)));
        // forge a tree with b before a: swap the two encoded entries
        byte[] ok = Trees.encodeEntries(List.of(a, b));
        int one = (ok.length - 2) / 2;
        byte[] swapped = new byte[ok.length];
        swapped[0] = ok[0];
        swapped[1] = ok[1];
        System.arraycopy(ok, 2 + one, swapped, 2, one);
        System.arraycopy(ok, 2, swapped, 2 + one, one);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Trees.decode(swapped, "t"));
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }

    @Test
    void refusesNamesThatCouldEscapeADirectory() {
        for (String bad : new String[] {"", ".", "..", "a/b", "/", "a\0b"}) {
            assertThrows(IllegalArgumentException.class, () -> Entry.builder(n(bad), EntryType.FIFO).build(), bad);
        }
        // and a forged blob carrying such a name: "x/y" written in place of "abc"
        byte[] ok = Trees.encodeEntries(List.of(Entry.builder(n("abc"), EntryType.FIFO).build()));
        byte[] forged = ok.clone();
        forged[3] = 'x';
        forged[4] = '/';
        forged[5] = 'y';
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Trees.decode(forged, "t"));
        assertTrue(e.getMessage().contains("contains '/'"), e.getMessage());
        byte[] dots = ok.clone();
        dots[2] = 2; // name length 2: ".."
        dots[3] = '.';
        dots[4] = '.';
        assertThrows(CorruptDataException.class, () -> Trees.decode(dots, "t"));
    }

    @Test
    void unknownKindsTypesAndFlagsAreUnsupported() throws Exception {
        byte[] ok = Trees.encodeEntries(List.of(Entry.builder(n("a"), EntryType.FIFO).build()));
        byte[] kind = ok.clone();
        kind[0] = 7;
        assertThrows(UnsupportedFormatException.class, () -> Trees.decode(kind, "t"));
        byte[] type = ok.clone();
        type[4] = 9; // kind, count, name length, 'a', type
        assertThrows(UnsupportedFormatException.class, () -> Trees.decode(type, "t"));
        byte[] flags = ok.clone();
        flags[5] = 8;
        assertThrows(UnsupportedFormatException.class, () -> Trees.decode(flags, "t"));
    }

    @Test
    void chunkSizesMustAddUpToTheFileSize() throws Exception {
        Entry f = Entry.builder(n("f"), EntryType.FILE).content(5, List.of(new ChunkRef(id(1), 5)), false).build();
        byte[] b = Trees.encodeEntries(List.of(f));
        // the size byte follows kind, count, len, 'f', type, flags, mode, sec, nanos
        int at = 9;
        assertEquals(5, b[at]);
        byte[] more = b.clone();
        more[at] = 6;
        assertTrue(assertThrows(CorruptDataException.class, () -> Trees.decode(more, "t")).getMessage()
                .contains("add up"));
        byte[] less = b.clone();
        less[at] = 4;
        assertThrows(CorruptDataException.class, () -> Trees.decode(less, "t"));
        assertThrows(IllegalArgumentException.class, () -> Entry.builder(n("f"), EntryType.FILE)
                .content(4, List.of(new ChunkRef(id(1), 5)), false).build());
    }

    @Test
    void pagesRoundTripAndMustBeOrdered() throws Exception {
        List<Trees.Page> pages = List.of(new Trees.Page(n("a"), id(1)), new Trees.Page(n("m"), id(2)),
                new Trees.Page(n("z"), id(3)));
        Trees.Tree t = Trees.decode(Trees.encodePages(pages), "t");
        assertEquals(Trees.PAGES, t.kind());
        assertEquals(3, t.pages().size());
        assertArrayEquals(n("m"), t.pages().get(1).firstName());
        assertEquals(id(3), t.pages().get(2).tree());
        byte[] bad = Trees.encodePages(List.of(pages.get(2), pages.get(0)));
        assertThrows(CorruptDataException.class, () -> Trees.decode(bad, "t"));
    }

    @Test
    void chunkListsRoundTripAndRejectEmptyOrHolePages() throws Exception {
        List<ChunkRef> cs = List.of(new ChunkRef(id(1), 100), new ChunkRef(BlobId.HOLE, 4096),
                new ChunkRef(id(2), 7));
        Trees.ChunkList l = Trees.decodeChunkList(Trees.encodeChunkList(cs), "l");
        assertEquals(cs, l.chunks());
        assertEquals(4203, l.length());
        byte[] pages = Trees.encodeChunkListPages(List.of(new ChunkRef(id(3), 10), new ChunkRef(id(4), 20)));
        assertEquals(30, Trees.decodeChunkList(pages, "l").length());
        byte[] holePage = Trees.encodeChunkListPages(List.of(new ChunkRef(BlobId.HOLE, 10), new ChunkRef(id(4), 20)));
        assertThrows(CorruptDataException.class, () -> Trees.decodeChunkList(holePage, "l"));
        assertThrows(CorruptDataException.class, () -> Trees.decodeChunkList(new byte[] {0, 0}, "l"));
        assertThrows(UnsupportedFormatException.class, () -> Trees.decodeChunkList(new byte[] {5, 1}, "l"));
    }

    @Test
    void namesAreShownOnOneLineAndDistinctly() {
        assertEquals("caf\u00e9", Names.display(n("caf\u00e9")));
        assertEquals("\\xff\\xfe", Names.display(new byte[] {(byte) 0xff, (byte) 0xfe}));
        assertEquals("a\\x0ab", Names.display(n("a\nb")));
        // a literal backslash-x sequence in a valid name does not look like an escaped byte
        assertEquals("\\\\xff", Names.display(n("\\xff")));
        assertEquals("\\xed\\xa0\\x80", Names.display(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
    }
}
