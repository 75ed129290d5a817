package dev.mmh.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.analysis.TensorInfo;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkTensorBoundariesTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> tensors(long seed, int count, int size) {
        Map<String, byte[]> m = Safetensors.map();
        for (int i = 0; i < count; i++) {
            m.put("layer" + i + ".weight", TestData.random(size + 4 * i, seed + i));
        }
        return m;
    }

    @Test
    void boundariesAreTheStartAndEndOfEveryTensorInsideTheFile() throws IOException {
        Map<String, byte[]> t = tensors(1, 3, 1000);
        byte[] file = Safetensors.write("v1", t);
        Path p = dir.resolve("m.safetensors");
        Files.write(p, file);
        long[] o = Safetensors.offsets(file, t);
        assertEquals(file.length, o[3]);
        assertArrayEquals(new long[] {o[0], o[1], o[2]}, TensorBoundaries.of(p)); // the file's end is no boundary
    }

    @Test
    void otherAndDamagedFilesHaveNoBoundaries() throws IOException {
        Path text = dir.resolve("a.txt");
        Files.write(text, TestData.text(10_000, 1));
        assertArrayEquals(new long[0], TensorBoundaries.of(text));
        byte[] file = Safetensors.write("v1", tensors(1, 2, 100));
        file[8] = 'x'; // the JSON no longer parses
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, file);
        assertArrayEquals(new long[0], TensorBoundaries.of(bad));
    }

    @Test
    void boundariesOfAListAreSortedDistinctAndInside() {
        List<TensorInfo> l = List.of(new TensorInfo("b", "float32", 40, 20), new TensorInfo("a", "float32", 0, 40),
                new TensorInfo("c", "float32", 60, 40), new TensorInfo("gap", "float32", 120, 5));
        assertArrayEquals(new long[] {40, 60, 100, 120}, TensorBoundaries.of(l, 125));
    }

    @Test
    void aCheckpointWithOneTensorChangedSharesEveryOtherTensorsChunks() throws IOException {
        ChunkerParams p = new ChunkerParams(4096, 16384, 65536, 0);
        Map<String, byte[]> v1 = tensors(10, 12, 300_000);
        Map<String, byte[]> v2 = Safetensors.map();
        v2.putAll(v1);
        byte[] changed = v2.get("layer5.weight").clone();
        for (int i = 0; i < changed.length; i += 64) {
            changed[i] ^= 1; // fine-tuned: every part of the tensor differs a little
        }
        v2.put("layer5.weight", changed);
        byte[] f1 = Safetensors.write("step 1000", v1);
        byte[] f2 = Safetensors.write("step 2000, a longer note that shifts every offset", v2);
        Path p1 = dir.resolve("1.safetensors");
        Path p2 = dir.resolve("2.safetensors");
        Files.write(p1, f1);
        Files.write(p2, f2);

        long sharedWith = sharedBytes(p, f1, TensorBoundaries.of(p1), f2, TensorBoundaries.of(p2));
        long sharedWithout = sharedBytes(p, f1, new long[0], f2, new long[0]);
        long unchanged = 0;
        for (Map.Entry<String, byte[]> e : v1.entrySet()) {
            if (!e.getKey().equals("layer5.weight")) {
                unchanged += e.getValue().length;
            }
        }
        assertEquals(unchanged, sharedWith, "with tensor cuts every unchanged tensor is shared whole");
        assertTrue(sharedWithout < unchanged, "without them the chunks that straddle a tensor boundary differ");
    }

    /** Bytes of f2 in chunks whose ID f1 also has. */
    private static long sharedBytes(ChunkerParams p, byte[] f1, long[] cuts1, byte[] f2, long[] cuts2)
            throws IOException {
        Set<String> ids = new HashSet<>();
        for (ChunkerTest.Chunk c : ChunkerTest.run(p, IdFunction.SHA256, Chunker.Engine.JAVA, f1, new int[0], cuts1)) {
            ids.add(c.id());
        }
        long shared = 0;
        for (ChunkerTest.Chunk c : ChunkerTest.run(p, IdFunction.SHA256, Chunker.Engine.JAVA, f2, new int[0], cuts2)) {
            if (ids.contains(c.id())) {
                shared += c.end() - c.start();
            }
        }
        return shared;
    }
}
