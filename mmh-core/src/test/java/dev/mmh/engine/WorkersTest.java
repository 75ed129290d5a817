package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Archives made and decoded on shared {@link Workers}: several at once, and a failing one among them. */
class WorkersTest {
    private static byte[] archive(byte[] data, String codec, int block) throws IOException {
        return TestData.compress(data, CompressOptions.builder().blockSize(block).threads(2).codec(codec).level(codec.equals("store") ? 0 : 1)
                .build());
    }

    private static byte[] decode(byte[] archive, Workers w, AtomicBoolean inputRead) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(archive), out, w, n -> { }, () -> inputRead.set(true));
        return out.toByteArray();
    }

    @Test
    void archivesShareWorkersWithoutMixingTheirBlocks() throws Exception {
        List<byte[]> data = new ArrayList<>();
        List<byte[]> archives = new ArrayList<>();
        String[] codecs = {"bwt", "zstd", "store", "bwt", "xz", "zstd"};
        for (int k = 0; k < codecs.length; k++) {
            byte[] d = TestData.text(150_000 + 40_000 * k, k);
            data.add(d);
            archives.add(archive(d, codecs[k], 16 << 10 << (k % 3)));
        }
        ExecutorService drivers = Executors.newFixedThreadPool(3);
        try (Workers w = new Workers(2)) {
            for (int round = 0; round < 3; round++) {
                List<Future<byte[]>> got = new ArrayList<>();
                List<AtomicBoolean> read = new ArrayList<>();
                for (byte[] a : archives) {
                    AtomicBoolean r = new AtomicBoolean();
                    read.add(r);
                    got.add(drivers.submit(() -> decode(a, w, r)));
                }
                for (int k = 0; k < archives.size(); k++) {
                    assertArrayEquals(data.get(k), got.get(k).get(), "archive " + k);
                    assertTrue(read.get(k).get(), "inputRead ran before decompress returned");
                }
            }
        } finally {
            drivers.shutdown();
        }
    }

    @Test
    void filesCompressedOnSharedWorkersGiveTheArchivesOfAPlainRun() throws Exception {
        // goals and codecs, several blocks, one block (compact layout), empty
        CompressOptions[] opts = {
            CompressOptions.builder().blockSize(16 << 10).threads(2).goal(dev.mmh.analysis.Goal.DEFAULT).build(),
            CompressOptions.builder().blockSize(32 << 10).threads(2).codec("bwt").build(),
            CompressOptions.builder().blockSize(64 << 10).threads(2).codec("zstd").level(3).build(),
            CompressOptions.builder().blockSize(16 << 10).threads(2).goal(dev.mmh.analysis.Goal.FAST).build(),
        };
        int[] sizes = {200_000, 90_000, 40_000, 0};
        ExecutorService drivers = Executors.newFixedThreadPool(3);
        try (Workers w = new Workers(2)) {
            for (int round = 0; round < 2; round++) {
                List<Future<byte[]>> got = new ArrayList<>();
                List<AtomicBoolean> read = new ArrayList<>();
                for (int k = 0; k < opts.length; k++) {
                    byte[] d = TestData.text(sizes[k], k);
                    CompressOptions o = opts[k];
                    AtomicBoolean r = new AtomicBoolean();
                    read.add(r);
                    got.add(drivers.submit(() -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        Mmh.compress(new ByteArrayInputStream(d), out, o, n -> { }, null, w, () -> r.set(true));
                        return out.toByteArray();
                    }));
                }
                for (int k = 0; k < opts.length; k++) {
                    byte[] d = TestData.text(sizes[k], k);
                    assertArrayEquals(TestData.compress(d, opts[k]), got.get(k).get(), "file " + k);
                    assertTrue(read.get(k).get(), "inputRead ran before compress returned");
                }
            }
        } finally {
            drivers.shutdown();
        }
    }

    @Test
    void aDamagedArchiveFailsAloneAndTheWorkersGoOn() throws Exception {
        byte[] data = TestData.text(400_000, 9);
        byte[] good = archive(data, "bwt", 16 << 10);
        byte[] bad = good.clone();
        bad[bad.length / 3] ^= 0x20;
        try (Workers w = new Workers(2)) {
            AtomicBoolean read = new AtomicBoolean();
            assertThrows(CorruptDataException.class, () -> decode(bad, w, read));
            assertArrayEquals(data, decode(good, w, read));
            assertEquals(2, w.threads());
        }
    }
}
