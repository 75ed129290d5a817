package dev.mmh.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ChunkerParamsTest {
    @Test
    void gearTableIsSplitmix64FromTheSeed() {
        // published splitmix64 outputs (Vigna's reference code) for seeds 0 and 1234567
        assertEquals(0xE220A8397B1DCDAFL, Gear.table(0)[0]);
        assertEquals(0x6E789E6AA1B965F4L, Gear.table(0)[1]);
        long[] g = Gear.table(1234567);
        assertEquals(Long.parseUnsignedLong("6457827717110365317"), g[0]);
        assertEquals(Long.parseUnsignedLong("3203168211198807973"), g[1]);
        assertEquals(Long.parseUnsignedLong("9817491932198370423"), g[2]);
        assertEquals(Long.parseUnsignedLong("4593380528125082431"), g[3]);
        assertEquals(Long.parseUnsignedLong("16408922859458223821"), g[4]);
        assertArrayEquals(ReferenceCdc.gear(99), new ChunkerParams(64, 256, 1024, 99).gear());
    }

    @Test
    void gearTablesAreCopiesThatCallersCannotSpoil() {
        long[] a = ChunkerParams.DEFAULT.gear();
        a[0] ^= 1;
        assertEquals(ReferenceCdc.gear(0)[0], ChunkerParams.DEFAULT.gear()[0]);
        assertEquals(ReferenceCdc.gear(0)[0], Gear.shared(0)[0]);
    }

    @Test
    void masksAreTheTopBitsTwoAboveAndTwoBelowLog2OfAvg() {
        ChunkerParams p = new ChunkerParams(16 << 10, 64 << 10, 256 << 10, 0);
        assertEquals(16, p.avgBits());
        assertEquals(ReferenceCdc.topBitsMask(18), p.maskSmall());
        assertEquals(ReferenceCdc.topBitsMask(14), p.maskLarge());
        assertEquals(0xFFFFC00000000000L, p.maskSmall());
        assertEquals(0xFFFC000000000000L, p.maskLarge());
        ChunkerParams smallest = new ChunkerParams(64, 256, 257, 0);
        assertEquals(0xFFC0000000000000L, smallest.maskSmall());
        assertEquals(0xFC00000000000000L, smallest.maskLarge());
        ChunkerParams largest = new ChunkerParams(1 << 27, 1 << 28, 1 << 30, 0);
        assertEquals(ReferenceCdc.topBitsMask(30), largest.maskSmall());
        assertEquals(ReferenceCdc.topBitsMask(26), largest.maskLarge());
    }

    @Test
    void acceptsTheBoundaries() {
        assertNull(ChunkerParams.validate(64, 256, 257));
        assertNull(ChunkerParams.validate(255, 256, 1 << 30));
        assertNull(ChunkerParams.validate((1 << 28) - 1, 1 << 28, 1 << 30));
        assertEquals(new ChunkerParams(16 << 10, 64 << 10, 256 << 10, 0), ChunkerParams.ofAverage(64 << 10));
        assertEquals(new ChunkerParams(1 << 26, 1 << 28, 1 << 30, 0), ChunkerParams.ofAverage(1 << 28));
    }

    @Test
    void refusesEachBrokenRule() {
        assertRefused(64, 384, 1024, "power of two");     // avg not a power of two
        assertRefused(64, 128, 1024, "power of two");     // avg below 256
        assertRefused(64, 1 << 29, 1 << 30, "power of two"); // avg above 2^28
        assertRefused(63, 256, 1024, "min");              // min below the window
        assertRefused(256, 256, 1024, "min");             // min not below avg
        assertRefused(64, 256, 256, "max");               // max not above avg
        assertRefused(64, 256, (1 << 30) + 1, "max");     // max above 2^30
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChunkerParams(100, 300, 1000, 0));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
    }

    private static void assertRefused(long min, long avg, long max, String rule) {
        String why = ChunkerParams.validate(min, avg, max);
        assertNotNull(why, min + "/" + avg + "/" + max);
        assertTrue(why.contains(rule), why);
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams((int) min, (int) avg, (int) max, 0));
    }

    /** The example of docs/CHUNKING.md ("Example"), read from the document, is what every engine cuts. */
    @Test
    void theDocumentedExampleHolds() throws IOException {
        Path doc = Path.of("../docs/CHUNKING.md");
        Assumptions.assumeTrue(Files.isRegularFile(doc), "no docs/CHUNKING.md at " + doc.toAbsolutePath());
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("### Example.*?```\\n([0-9 ]+)\\n```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "no example in CHUNKING.md");
        List<Long> documented = Arrays.stream(m.group(1).trim().split(" ")).map(Long::valueOf).toList();
        Matcher g = Pattern.compile("`G\\[0\\] = 0x([0-9A-F]+)`, `G\\[1\\] = 0x([0-9A-F]+)`, "
                + "`G\\[2\\] = 0x([0-9A-F]+)`,\\s+`G\\[255\\] = 0x([0-9A-F]+)`").matcher(text);
        assertTrue(g.find(), "no gear values in CHUNKING.md");
        long[] gear = Gear.table(0);
        int[] at = {0, 1, 2, 255};
        for (int i = 0; i < 4; i++) {
            assertEquals(Long.parseUnsignedLong(g.group(i + 1), 16), gear[at[i]], "G[" + at[i] + "]");
        }
        byte[] input = new byte[4096];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) ((31 * i * i + 7 * i) >> 3);
        }
        ChunkerParams p = new ChunkerParams(64, 256, 1024, 0);
        assertEquals(documented, ReferenceCdc.cuts(input, 64, 256, 1024, 0));
        for (Chunker.Engine e : Chunker.Engine.values()) {
            if (e != Chunker.Engine.JAVA && (!NativeCdc.AVAILABLE || !NativeChunkHash.AVAILABLE)) {
                continue;
            }
            assertEquals(documented, ChunkerTest.ends(ChunkerTest.run(p, e == Chunker.Engine.JAVA ? null
                    : IdFunction.SHA256, e, input, new int[0])), e.toString());
        }
    }
}
