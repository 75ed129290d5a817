package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mmh.analysis.DataKind;
import dev.mmh.analysis.Reasons;
import dev.mmh.analysis.TensorInfo;
import dev.mmh.analysis.Goal;
import dev.mmh.format.Index;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks cut at type changes of a weights file, and the declared type reaching the analysis. */
class BlockPlanTest {
    @TempDir
    Path dir;

    private static final List<TensorInfo> TENSORS = List.of(
            new TensorInfo("a", "float32", 1000, 300_000),
            new TensorInfo("b", "float32", 301_000, 100_000),
            new TensorInfo("bias", "int8", 401_000, 3_000),
            new TensorInfo("c", "bfloat16", 404_000, 600_000),
            new TensorInfo("d", "int8", 1_004_000, 200_000));

    @Test
    void cutsAtTypeChangesButNotForTinyPieces() {
        BlockPlan p = BlockPlan.fromTensors(TENSORS);
        int bs = 256 * 1024;
        List<Long> cuts = new ArrayList<>();
        for (long pos = 0; pos < 1_204_000; ) {
            pos += p.nextLength(pos, bs);
            cuts.add(pos);
        }
        // the 1,000-byte header is too short to cut off, so the first block runs to the block size; the float32
        // run ends at 401,000; the 3,000-byte int8 bias is too short too and goes with the bfloat16 run, which
        // is cut every block size and ends at 1,004,000; the int8 run ends the tensors at 1,204,000
        assertEquals(List.of(262_144L, 401_000L, 663_144L, 925_288L, 1_004_000L, 1_204_000L), cuts);
        assertEquals("float32", p.dtypeOf(262_144, 401_000 - 262_144));
        assertEquals("bfloat16", p.dtypeOf(401_000, 262_144), "3,000 int8 bytes are under 10%");
        assertEquals("int8", p.dtypeOf(1_004_000, 200_000));
        assertNull(p.dtypeOf(0, 2000), "the header has no type");
        assertEquals(bs, p.nextLength(5_000_000, bs), "past the tensors: plain blocks");
    }

    @Test
    void declaredTypeReachesTheBlocksAndRoundTrips() throws IOException {
        byte[] file = weights();
        BlockPlan plan = BlockPlan.fromTensors(TENSORS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressOptions o = CompressOptions.builder().blockSize(256 * 1024).threads(2).goal(Goal.DEFAULT).build();
        Mmh.compress(new ByteArrayInputStream(file), out, o.toBuilder().plan(plan).build());
        Path a = dir.resolve("w.mmh");
        Files.write(a, out.toByteArray());
        List<Long> starts = new ArrayList<>();
        List<Integer> reasons = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(a)) {
            Index idx = SeekableArchive.of(ch).index();
            long raw = 0;
            for (IndexEntry e : idx.entries()) {
                starts.add(raw);
                raw += e.rawSize();
            }
            for (IndexEntry e : idx.entries()) {
                reasons.add(e.reason());
            }
        }
        assertEquals(List.of(0L, 262_144L, 401_000L, 663_144L, 925_288L, 1_004_000L), starts);
        // the bfloat16 blocks hold bf16 values that the data alone does not show as bfloat16, so only the
        // declared type can make these blocks BFLOAT16
        try (dev.mmh.analysis.Analyzer an = new dev.mmh.analysis.Analyzer()) {
            DataKind guess = an.analyze(file, 663_144, 262_144).kind();
            org.junit.jupiter.api.Assertions.assertNotEquals(DataKind.BFLOAT16, guess, "data-only guess");
        }
        assertEquals(DataKind.BFLOAT16, Reasons.kind(reasons.get(2)));
        assertEquals(DataKind.BFLOAT16, Reasons.kind(reasons.get(3)));
        assertEquals(DataKind.BFLOAT16, Reasons.kind(reasons.get(4)));
        assertEquals(DataKind.FLOAT32, Reasons.kind(reasons.get(1)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        Mmh.decompress(new ByteArrayInputStream(out.toByteArray()), back,
                DecompressOptions.builder().threads(2).build());
        assertArrayEquals(file, back.toByteArray());
    }

    /** Header bytes, float32 weights, an int8 bias, bfloat16 weights, int8 data, as TENSORS lays them out. */
    private static byte[] weights() {
        Random r = new Random(9);
        ByteBuffer b = ByteBuffer.allocate(1_204_000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 1000; i++) {
            b.put((byte) ('a' + r.nextInt(26)));
        }
        for (int i = 0; i < 100_000; i++) {
            b.putFloat((float) (r.nextGaussian() * 0.05));
        }
        for (int i = 0; i < 3000; i++) {
            b.put((byte) r.nextInt(256));
        }
        for (int i = 0; i < 300_000; i++) {
            // tiny values (exponents near 2^-50): real bfloat16, outside the range the data-only guess accepts
            b.putShort((short) (Float.floatToIntBits((float) (r.nextGaussian() * 1e-15)) >>> 16));
        }
        while (b.hasRemaining()) {
            b.put((byte) (r.nextInt(16) - 8));
        }
        return b.array();
    }
}
