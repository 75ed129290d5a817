package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmh.MmhException;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of every reader: truncation, bit flips, byte runs, and length fields set to huge or
 * negative values with their checksums recomputed (as a hostile writer would). The only allowed failures are
 * the documented MmhException family: no OutOfMemoryError, no unchecked exception, no hang.
 */
class ReaderFuzzTest {
    private static final long SEED = 0x6d6d68L;
    private static final int CASES = 3000;

    /** Offsets of the CRC-covered structures, so mutations can recompute CRCs like an attacker. */
    private record Struct(int start, int crcAt) {
    }

    private static List<Struct> structs(byte[] a) {
        List<Struct> s = new ArrayList<>();
        s.add(new Struct(0, 36));
        int p = Format.HEADER_SIZE;
        while (LE.get32(a, p) == Format.SECTION_BLOCK) {
            int crcAt = p + Format.BLOCK_FIXED + 8;
            s.add(new Struct(p, crcAt));
            p = crcAt + 4 + (int) LE.get64(a, p + 36) + 4;
        }
        s.add(new Struct(p, a.length - Format.FOOTER_SIZE - 4));
        s.add(new Struct(a.length - Format.FOOTER_SIZE, a.length - Format.FOOTER_SIZE + 52));
        return s;
    }

    private static byte[] mutate(byte[] good, List<Struct> structs, SplittableRandom r) {
        byte[] b = good.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 1 -> {
                for (int i = r.nextInt(1, 8); i > 0; i--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> {
                int at = r.nextInt(b.length);
                Arrays.fill(b, at, Math.min(b.length, at + r.nextInt(1, 300)), (byte) r.nextInt(256));
            }
            default -> {
                // a size or count field set to a hostile value, with the structure's CRC made valid again
                Struct s = structs.get(r.nextInt(structs.size()));
                int field = s.start + 8 * r.nextInt(Math.max(1, (s.crcAt - s.start) / 8));
                long[] hostile = {Long.MAX_VALUE, -1L, 1L << 40, Integer.MAX_VALUE, (1L << 31) + 7, 0, 1L << 30};
                if (field + 8 <= s.crcAt) {
                    LE.put64(b, field, hostile[r.nextInt(hostile.length)]);
                }
                LE.put32(b, s.crcAt, Format.crc(b, s.start, s.crcAt - s.start));
            }
        }
        return b;
    }

    @Test
    void readersFailOnlyWithDocumentedExceptions(@TempDir Path dir) throws Exception {
        byte[] good = TestData.compress(TestData.text(20_000, 2),
                CompressOptions.builder().blockSize(4096).threads(2).codec("zstd").level(1).build());
        List<Struct> structs = structs(good);
        SplittableRandom r = new SplittableRandom(SEED);
        Path f = dir.resolve("f.mmh");
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < CASES; i++) {
                byte[] bad = mutate(good, structs, r);
                Files.write(f, bad);
                check(i, () -> TestData.decompress(bad, 2));
                check(i, () -> Verifier.verify(f, TestData.threads(2)));
                check(i, () -> {
                    try (SeekableArchive a = SeekableArchive.open(f)) {
                        return a.index();
                    }
                });
            }
        });
    }

    private interface Call {
        Object run() throws IOException;
    }

    private static void check(int i, Call c) {
        try {
            c.run();
        } catch (MmhException expected) {
            // documented failure
        } catch (Throwable t) {
            fail("case " + i + " (seed " + SEED + "): undocumented failure " + t, t);
        }
    }
}
