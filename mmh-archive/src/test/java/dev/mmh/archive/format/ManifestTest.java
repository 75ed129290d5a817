package dev.mmh.archive.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.UnsupportedFormatException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    static Manifest sample() {
        Manifest m = new Manifest(new dev.mmh.chunk.ChunkerParams(16384, 65536, 262144, 0), Manifest.SHA256, List.of(),
                List.of());
        m = m.plus(new Manifest.TableRef(1000, 500), new Manifest.Version(1, TreesTest.id(1), 1_700_000_000L, 5, 10,
                2, 1, 12345, 6000, "proj".getBytes()));
        return m.plus(new Manifest.TableRef(9000, 96), new Manifest.Version(2, TreesTest.id(2), -1, 0, 11, 2, 0, 12999,
                700, new byte[] {(byte) 0xff}));
    }

    @Test
    void roundTrips() throws Exception {
        Manifest m = sample();
        byte[] b = m.encode();
        Manifest d = Manifest.decode(b, "m");
        assertEquals(m.chunker(), d.chunker());
        assertEquals(m.tables(), d.tables());
        assertEquals(2, d.versions().size());
        Manifest.Version v = d.latest();
        assertEquals(2, v.number());
        assertEquals(TreesTest.id(2), v.root());
        assertEquals(-1, v.newestSeconds());
        assertEquals(700, v.newBytes());
        assertArrayEquals(new byte[] {(byte) 0xff}, v.label());
        assertArrayEquals(b, d.encode());
    }

    @Test
    void everyTruncationAndAppendedByteIsCorrupt() {
        byte[] b = sample().encode();
        for (int i = 0; i <= b.length; i++) {
            byte[] c = i == b.length ? Arrays.copyOf(b, b.length + 1) : Arrays.copyOf(b, i);
            MmhException e = assertThrows(MmhException.class, () -> Manifest.decode(c, "m"), "length " + c.length);
            assertEquals(CorruptDataException.class, e.getClass(), e.toString());
        }
    }

    @Test
    void versionsMustBeNumberedInOrder() {
        assertThrows(IllegalArgumentException.class, () -> new Manifest(sample().chunker(), 1, List.of(),
                List.of(new Manifest.Version(2, TreesTest.id(1), 0, 0, 0, 0, 0, 0, 0, new byte[0]))));
        byte[] b = sample().encode();
        Manifest one = new Manifest(sample().chunker(), 1, List.of(), List.of(new Manifest.Version(1,
                TreesTest.id(1), 0, 0, 0, 0, 0, 0, 0, new byte[0])));
        byte[] e = one.encode();
        // the number precedes the root ID and 8 one-byte fields
        int at = e.length - 1 - 32 - 8;
        assertEquals(1, e[at]);
        assertArrayEquals(TreesTest.id(1).bytes(), Arrays.copyOfRange(e, at + 1, at + 33));
        e[at] = 3;
        assertEquals("m: version 3 where 1 was expected",
                assertThrows(CorruptDataException.class, () -> Manifest.decode(e, "m")).getMessage());
        b[0] = 2;
        assertThrows(UnsupportedFormatException.class, () -> Manifest.decode(b, "m"));
    }
}
