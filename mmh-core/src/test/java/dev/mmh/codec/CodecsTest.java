package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecsTest {
    /** The ids written into archives; they must never change. */
    private static final Map<String, Integer> IDS =
            Map.of("store", 0, "zstd", 1, "lz4", 2, "deflate", 3, "brotli", 4, "xz", 5, "bwt", 6, "numeric", 7);

    @Test
    void findsAllBuiltInsByIdAndName() throws Exception {
        for (Map.Entry<String, Integer> e : IDS.entrySet()) {
            Codec byName = Codecs.byName(e.getKey());
            assertEquals(e.getKey(), byName.name());
            assertEquals(e.getValue().intValue(), byName.id());
            assertSame(byName, Codecs.byId(e.getValue()));
        }
        assertEquals(Codecs.LZ4, IDS.get("lz4"));
        assertEquals(Codecs.DEFLATE, IDS.get("deflate"));
        assertEquals(Codecs.BROTLI, IDS.get("brotli"));
        assertEquals(Codecs.XZ, IDS.get("xz"));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertSame(Codecs.byName("xz"), Codecs.byName("XZ"));
        assertSame(Codecs.byName("brotli"), Codecs.byName("Brotli"));
    }

    @Test
    void listsCodecsOrderedById() {
        List<Integer> ids = new ArrayList<>();
        for (Codec c : Codecs.all()) {
            ids.add(c.id());
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), ids);
        assertEquals("store, zstd, lz4, deflate, brotli, xz, bwt, numeric", Codecs.names());
    }

    @Test
    void unknownIdIsUnsupported() {
        for (int id : new int[] {8, 99, 255, -1, 256, Integer.MAX_VALUE}) {
            UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Codecs.byId(id));
            assertTrue(e.getMessage().contains(Integer.toString(id)), e.getMessage());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codecs.byName("bzip3"));
        for (String name : IDS.keySet()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertTrue(e.getMessage().contains("bzip3"), e.getMessage());
    }

    @Test
    void everyCodecRejectsLevelsOutsideItsRange() {
        for (Codec c : Codecs.all()) {
            assertThrows(IllegalArgumentException.class, () -> c.validate(CodecParams.level(c.maxLevel() + 1)),
                    c.name());
            assertThrows(IllegalArgumentException.class, () -> c.validate(CodecParams.level(c.minLevel() - 1)),
                    c.name());
        }
    }
}
