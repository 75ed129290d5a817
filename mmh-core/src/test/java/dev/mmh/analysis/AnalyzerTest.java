package dev.mmh.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.transform.BytePlanesTransform;
import dev.mmh.transform.Transforms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Detection on the corpus and on made-up data with a known answer. */
class AnalyzerTest {
    private final Analyzer analyzer = new Analyzer();

    @AfterEach
    void close() {
        analyzer.close();
    }

    private static byte[] corpus(String set, String name, int max) throws IOException {
        Path p = Path.of(System.getProperty("mmh.corpus", "target/corpus")).resolve(set).resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus file " + p + " is not there");
        try (var in = Files.newInputStream(p)) {
            return in.readNBytes(max);
        }
    }

    /** Every 4 MiB block of the file (at most 2) gets this kind. */
    private BlockAnalysis expect(String set, String name, DataKind kind) throws IOException {
        byte[] d = corpus(set, name, 8 << 20);
        BlockAnalysis first = null;
        for (int off = 0; off < d.length; off += 4 << 20) {
            BlockAnalysis a = analyzer.analyze(d, off, Math.min(4 << 20, d.length - off));
            assertEquals(kind, a.kind(), name + " at " + off + ": " + a);
            first = first == null ? a : first;
        }
        return first;
    }

    @Test
    void detectsFloat32Weights() throws IOException {
        for (String f : new String[] {"human_faceres-deep.bin", "human_posenet.bin"}) {
            BlockAnalysis a = expect("weights", f, DataKind.FLOAT32);
            assertEquals(Transforms.PLANES, a.normal().transformId());
            assertEquals(BytePlanesTransform.param(4, true), a.normal().transformParam());
        }
    }

    @Test
    void floatWeightsSkipTheLzTrialButRepeatedRowsKeepIt() throws IOException {
        for (String f : new String[] {"human_faceres-deep.bin", "human_posenet.bin", "human_faceres.bin"}) {
            byte[] d = corpus("weights", f, 4 << 20);
            BlockAnalysis a = analyzer.analyze(d, d.length - (2 << 20), 2 << 20);
            assertEquals("numeric", a.max().codecName(), f + ": " + a);
            assertTrue(a.probeRatio() >= Analyzer.FLOAT_REPEATS_PROBE, f + ": " + a.probeRatio());
            assertEquals(List.of(), a.maxAlternatives(), f + ": weights get no planes+zstd -19 trial");
        }
        // a tensor whose rows come from a few distinct ones (copied rows): the zstd -1 probe finds the repeats and
        // the LZ trial stays
        byte[] w = corpus("weights", "human_posenet.bin", 1 << 20);
        byte[] rows = new byte[2 << 20];
        int row = 1024;
        Random r = new Random(3);
        for (int off = 0; off < rows.length; off += row) {
            System.arraycopy(w, r.nextInt(16) * row, rows, off, row);
        }
        BlockAnalysis a = analyzer.analyze(rows, 0, rows.length);
        assertEquals(DataKind.FLOAT32, a.kind(), a.toString());
        assertTrue(a.probeRatio() < Analyzer.FLOAT_REPEATS_PROBE, "probe " + a.probeRatio());
        assertEquals(1, a.maxAlternatives().size());
        assertEquals(Transforms.PLANES, a.maxAlternatives().get(0).transformId());
        assertEquals("zstd", a.maxAlternatives().get(0).codecName());
    }

    @Test
    void detectsFloat16Weights() throws IOException {
        for (String f : new String[] {"human_faceres.bin", "human_movenet-lightning.bin"}) {
            BlockAnalysis a = expect("weights", f, DataKind.FLOAT16);
            assertEquals(BytePlanesTransform.param(2, false), a.normal().transformParam());
            assertEquals("numeric", a.max().codecName());
        }
    }

    @Test
    void detectsBfloat16MadeFromFloat32Weights() throws IOException {
        byte[] f32 = corpus("weights", "human_posenet.bin", 2 << 20);
        byte[] bf = new byte[f32.length / 2];
        for (int i = 0, j = 0; i + 3 < f32.length; i += 4, j += 2) {
            int bits = (f32[i] & 0xFF) | (f32[i + 1] & 0xFF) << 8 | (f32[i + 2] & 0xFF) << 16 | f32[i + 3] << 24;
            int r = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16; // round to nearest even
            bf[j] = (byte) r;
            bf[j + 1] = (byte) (r >>> 8);
        }
        BlockAnalysis a = analyzer.analyze(bf, 0, bf.length);
        assertEquals(DataKind.BFLOAT16, a.kind(), a.toString());
        assertEquals(BytePlanesTransform.param(2, true), a.normal().transformParam());
    }

    @Test
    void detectsTheDllAsX86() throws IOException {
        BlockAnalysis a = expect("silesia", "ooffice", DataKind.X86);
        assertEquals(Transforms.X86, a.max().transformId());
    }

    @Test
    void detectsTheJpegAsCompressed() throws IOException {
        BlockAnalysis a = expect("mixed", "house.jpg", DataKind.COMPRESSED);
        assertEquals("jpeg", a.format());
        assertEquals("store", a.normal().codecName());
        assertTrue(a.probeRatio() > 0.9, a.toString());
    }

    @Test
    void aZipThatStillCompressesIsNotStored() throws IOException {
        // cantrbry.zip: deflated text and a spreadsheet that zstd -3 still shrinks by 13% as a whole
        byte[] d = corpus("mixed", "cantrbry.zip", 8 << 20);
        BlockAnalysis a = analyzer.analyze(d, 0, d.length);
        assertEquals("zip", a.format());
        assertTrue(a.probeRatio() <= Analyzer.STORE_PROBE, a.toString());
        for (Goal g : Goal.values()) {
            assertNotEquals("store", a.choiceFor(g).codecName(), g + ": " + a);
        }
    }

    @Test
    void detectsXrayAs16BitSamples() throws IOException {
        BlockAnalysis a = expect("silesia", "x-ray", DataKind.SAMPLES16);
        assertEquals(2, a.param());
    }

    @Test
    void detectsText() throws IOException {
        expect("silesia", "dickens", DataKind.TEXT);
        expect("silesia", "nci", DataKind.TEXT);
        expect("canterbury", "alice29.txt", DataKind.TEXT);
    }

    @Test
    void detectsRandomBytesAsIncompressible() {
        byte[] r = new byte[1 << 20];
        new Random(5).nextBytes(r);
        BlockAnalysis a = analyzer.analyze(r, 0, r.length);
        assertEquals(DataKind.INCOMPRESSIBLE, a.kind());
        assertTrue(a.entropy() > 7.9, a.toString());
    }

    @Test
    void detectsPeriodsUpTo64KiB() {
        for (int period : new int[] {1, 2, 251, 4096, 65536}) {
            byte[] pat = new byte[period];
            new Random(period).nextBytes(pat);
            byte[] d = new byte[4 << 20];
            for (int i = 0; i < d.length; i++) {
                d[i] = pat[i % period];
            }
            d[12345] ^= 1; // one corrupted byte does not hide the period
            BlockAnalysis a = analyzer.analyze(d, 0, d.length);
            assertEquals(DataKind.PERIODIC, a.kind(), "period " + period);
            assertEquals(period, a.param());
            assertEquals(Transforms.PERIODIC, a.normal().transformId());
            assertEquals(period, a.normal().transformParam());
        }
    }

    @Test
    void handlesTinyAndOffsetBlocksOfAnyContent() {
        Random r = new Random(8);
        for (int k = 0; k < 300; k++) {
            int len = r.nextInt(k < 200 ? 2000 : 200_000);
            int off = r.nextInt(50);
            byte[] d = new byte[off + len + r.nextInt(50)];
            switch (k % 4) {
                case 0 -> r.nextBytes(d);
                case 1 -> java.util.Arrays.fill(d, (byte) 0xE8);
                case 2 -> java.util.Arrays.fill(d, (byte) 'a');
                default -> { }
            }
            BlockAnalysis a = analyzer.analyze(d, off, len);
            assertTrue(a.confidence() > 0 && a.confidence() <= 1, a.toString());
            assertTrue(a.entropy() >= 0 && a.entropy() <= 8.0001, a.toString());
            assertTrue(a.reason() != null && !a.reason().isEmpty());
        }
    }

    @Test
    void kindOrdinalsAreFrozenBecauseArchivesRecordThem() {
        String[] frozen = {"EMPTY", "COMPRESSED", "INCOMPRESSIBLE", "PERIODIC", "TEXT", "FLOAT32", "FLOAT16", "BFLOAT16",
            "SAMPLES16", "RECORDS", "X86", "BINARY"};
        for (int i = 0; i < frozen.length; i++) {
            assertEquals(frozen[i], DataKind.values()[i].name());
        }
    }

    @Test
    void emptyBlockIsEmpty() {
        assertEquals(DataKind.EMPTY, analyzer.analyze(new byte[0], 0, 0).kind());
    }

    @Test
    void recognisesMagicBytes() {
        assertEquals("png", Magic.detect(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, 8));
        assertEquals("zstd", Magic.detect(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, 0, 4));
        assertEquals("gzip", Magic.detect(new byte[] {0x1F, (byte) 0x8B, 8, 0}, 0, 4));
        assertEquals("xz", Magic.detect(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}, 0, 6));
        assertEquals("mp4", Magic.detect(new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, 12));
        assertEquals(null, Magic.detect("hello world".getBytes(), 0, 11));
    }
}
