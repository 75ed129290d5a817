package dev.mmh.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.io.NativeLibraries;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed golden chunkings (see {@link ChunkGolden}) are still what every engine cuts and hashes: a changed
 * cut or ID fails here, whichever loop (Java, C in libmmhcore, C in libmmhcrypto) changed.
 */
class ChunkGoldenTest {
    @Test
    void everyEngineReproducesTheGoldenChunkings() throws IOException {
        boolean nat = Chunker.class.getResource(NativeLibraries.CRYPTO) != null;
        int checked = 0;
        for (Map.Entry<String, ChunkGolden.Case> e : ChunkGolden.cases().entrySet()) {
            ChunkGolden.Case c = e.getValue();
            byte[] data = c.bytes();
            if (data == null) {
                continue; // a corpus file that is not unpacked here
            }
            String golden = ChunkGolden.golden(e.getKey());
            assertSameText(golden, ChunkGolden.text(c, ChunkGolden.chunk(c, data, Chunker.Engine.JAVA, new int[0])),
                    e.getKey() + " (java) changed: that is a change of the chunking");
            if (nat) {
                for (Chunker.Engine engine : new Chunker.Engine[] {Chunker.Engine.NATIVE, Chunker.Engine.NATIVE_HASH}) {
                    int[] splits = ChunkerTest.randomSplits(data.length, e.getKey().hashCode());
                    assertSameText(golden, ChunkGolden.text(c, ChunkGolden.chunk(c, data, engine, splits)),
                            e.getKey() + " (" + engine + ") changed: that is a change of the chunking");
                }
            }
            // and the spelled-out reference agrees, so a golden never freezes a bug of the fast loops
            ChunkerTest.assertSameEnds(ReferenceCdc.cuts(data, c.params().min(), c.params().avg(), c.params().max(),
                    c.params().seed(), c.forced()), ChunkerTest.ends(ChunkGolden.chunk(c, data, Chunker.Engine.JAVA,
                    new int[0])), e.getKey() + " reference");
            checked++;
        }
        Assumptions.assumeTrue(checked == ChunkGolden.cases().size(), "corpus cases skipped: corpus not unpacked");
        assertTrue(checked >= 2);
    }

    /** Names the first line that differs. */
    private static void assertSameText(String golden, String actual, String what) {
        String[] g = golden.split("\n");
        String[] a = actual.split("\n");
        for (int i = 0; i < Math.min(g.length, a.length); i++) {
            assertEquals(g[i], a[i], what + ", line " + (i + 1));
        }
        assertEquals(g.length, a.length, what + ": number of lines");
    }
}
