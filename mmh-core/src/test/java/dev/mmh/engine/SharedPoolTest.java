package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmh.CorruptDataException;
import dev.mmh.testing.TestData;
import dev.mmh.work.WorkerPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives made, decoded and verified on one shared {@link WorkerPool}: several at once, a failing one among them. */
class SharedPoolTest {
    private static byte[] archive(byte[] data, String codec, int block) throws IOException {
        return TestData.compress(data, CompressOptions.builder().blockSize(block).threads(2).codec(codec)
                .level(codec.equals("store") ? 0 : 1).build());
    }

    private static byte[] decode(byte[] archive, WorkerPool pool) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out, DecompressOptions.builder().pool(pool).build());
        return out.toByteArray();
    }

    @Test
    void archivesShareAPoolWithoutMixingTheirBlocks() throws Exception {
        List<byte[]> data = new ArrayList<>();
        List<byte[]> archives = new ArrayList<>();
        String[] codecs = {"bwt", "zstd", "store", "bwt", "xz", "zstd"};
        for (int k = 0; k < codecs.length; k++) {
            byte[] d = TestData.text(150_000 + 40_000 * k, k);
            data.add(d);
            archives.add(archive(d, codecs[k], 16 << 10 << (k % 3)));
        }
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int round = 0; round < 3; round++) {
                List<Future<byte[]>> got = new ArrayList<>();
                for (byte[] a : archives) {
                    got.add(callers.submit(() -> decode(a, pool)));
                }
                for (int k = 0; k < archives.size(); k++) {
                    assertArrayEquals(data.get(k), got.get(k).get(), "archive " + k);
                }
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void filesCompressedOnASharedPoolGiveTheArchivesOfAPlainRun() throws Exception {
        // goals and codecs, several blocks, one block (compact layout), empty
        CompressOptions[] opts = {
            CompressOptions.builder().blockSize(16 << 10).threads(2).goal(dev.mmh.analysis.Goal.DEFAULT).build(),
            CompressOptions.builder().blockSize(32 << 10).threads(2).codec("bwt").build(),
            CompressOptions.builder().blockSize(64 << 10).threads(2).codec("zstd").level(3).build(),
            CompressOptions.builder().blockSize(16 << 10).threads(2).goal(dev.mmh.analysis.Goal.FAST).build(),
        };
        int[] sizes = {200_000, 90_000, 40_000, 0};
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int round = 0; round < 2; round++) {
                List<Future<byte[]>> got = new ArrayList<>();
                for (int k = 0; k < opts.length; k++) {
                    byte[] d = TestData.text(sizes[k], k);
                    CompressOptions o = opts[k].toBuilder().pool(pool).build();
                    got.add(callers.submit(() -> TestData.compress(d, o)));
                }
                for (int k = 0; k < opts.length; k++) {
                    byte[] d = TestData.text(sizes[k], k);
                    assertArrayEquals(TestData.compress(d, opts[k]), got.get(k).get(), "file " + k);
                }
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void aDamagedArchiveFailsAloneAndThePoolGoesOn(@TempDir Path dir) throws Exception {
        byte[] data = TestData.text(400_000, 9);
        byte[] good = archive(data, "bwt", 16 << 10);
        byte[] bad = good.clone();
        bad[bad.length / 3] ^= 0x20;
        Path badFile = dir.resolve("bad.mmh");
        Files.write(badFile, bad);
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(CorruptDataException.class, () -> decode(bad, pool));
            DecompressOptions o = DecompressOptions.builder().pool(pool).build();
            assertEquals(1, Verifier.verify(badFile, o).damage().size());
            assertArrayEquals(data, decode(good, pool));
            assertEquals(2, o.threads());
        }
    }
}
