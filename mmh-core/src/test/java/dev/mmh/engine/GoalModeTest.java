package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.analysis.DataKind;
import dev.mmh.analysis.Goal;
import dev.mmh.analysis.Reasons;
import dev.mmh.codec.Codecs;
import dev.mmh.format.FileHeader;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import dev.mmh.testing.TestData;
import dev.mmh.transform.Transforms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Content-aware compression through the engine: per-block choices are recorded, decoded and deterministic. */
class GoalModeTest {
    @TempDir
    Path dir;

    private List<IndexEntry> entries(byte[] archive) throws IOException {
        Path f = dir.resolve("a.mmh");
        Files.write(f, archive);
        try (SeekableArchive a = SeekableArchive.open(f)) {
            assertEquals(FileHeader.AUTO, a.header().codecId());
            return a.index().entries();
        }
    }

    private static CompressOptions goal(Goal g, int threads) {
        return CompressOptions.builder().goal(g).threads(threads).blockSize(1 << 20).build();
    }

    @ParameterizedTest
    @EnumSource(Goal.class)
    void corpusFilesOfEveryKindRoundTripAndAreDeterministic(Goal g) throws IOException {
        for (String name : new String[] {"silesia/ooffice", "silesia/x-ray", "weights/human_posenet.bin",
            "weights/human_faceres.bin", "mixed/house.jpg", "canterbury/alice29.txt"}) {
            byte[] data = Files.readAllBytes(TestData.corpus().resolve(name));
            if (g == Goal.MAX && data.length > 1 << 20) {
                data = java.util.Arrays.copyOf(data, 1 << 20); // --max tries several codecs: keep the suite fast
            }
            byte[] one = TestData.compress(data, goal(g, 1));
            assertArrayEquals(one, TestData.compress(data, goal(g, 3)), name + " differs across thread counts");
            assertArrayEquals(data, TestData.decompress(one, 2), name);
        }
    }

    @Test
    void x86CodeGetsTheBranchTransformAndTheReasonSaysSo() throws IOException {
        byte[] data = Files.readAllBytes(TestData.corpus().resolve("silesia/ooffice"));
        List<IndexEntry> e = entries(TestData.compress(data, goal(Goal.DEFAULT, 2)));
        long x86 = e.stream().filter(x -> x.transformId() == Transforms.X86).count();
        assertTrue(x86 >= e.size() / 2, "x86 blocks: " + x86 + " of " + e.size());
        assertTrue(e.stream().anyMatch(x -> Reasons.kind(x.reason()) == DataKind.X86));
        assertEquals("x86 machine code", Reasons.describe(Reasons.of(DataKind.X86)));
    }

    @Test
    void compressedInputIsStoredAndCostsAlmostNothing() throws IOException {
        byte[] data = Files.readAllBytes(TestData.corpus().resolve("mixed/house.jpg"));
        byte[] archive = TestData.compress(data, goal(Goal.DEFAULT, 2));
        assertTrue(archive.length - data.length < 300, "overhead " + (archive.length - data.length));
        assertTrue(entries(archive).stream().allMatch(x -> x.codecId() == Codecs.STORE));
    }

    @Test
    void periodicDataShrinksToAlmostNothingPerBlock() throws IOException {
        byte[] pattern = TestData.random(251, 251);
        byte[] data = new byte[8 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = pattern[i % 251];
        }
        byte[] archive = TestData.compress(data, goal(Goal.DEFAULT, 2));
        assertTrue(archive.length < 8 * 1024, "archive " + archive.length + " bytes for 8 blocks");
        assertArrayEquals(data, TestData.decompress(archive, 2));
        assertTrue(entries(archive).stream().allMatch(x -> x.transformId() == Transforms.PERIODIC));
    }

    @Test
    void forcedCodecRecordsUserReason() throws IOException {
        byte[] data = TestData.text(100_000, 4);
        byte[] archive = TestData.compress(data, CompressOptions.builder().codec("lz4").blockSize(1 << 16).build());
        Path f = dir.resolve("b.mmh");
        Files.write(f, archive);
        try (SeekableArchive a = SeekableArchive.open(f)) {
            assertEquals(Codecs.LZ4, a.header().codecId());
            assertTrue(a.index().entries().stream().allMatch(x -> x.reason() == Reasons.USER));
        }
    }
}
