package dev.mmh.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorHeadersTest {
    @TempDir
    Path dir;

    private Path safetensors(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("m.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsSafetensorsOffsetsAndTypes() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[16,24]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        Path p = safetensors(json, 24);
        int base = 8 + json.getBytes(StandardCharsets.UTF_8).length;
        List<TensorInfo> t = TensorHeaders.read(p);
        assertEquals(List.of(new TensorInfo("a", "float32", base, 16), new TensorInfo("b", "bfloat16", base + 16, 8)), t);
        assertEquals(2, t.get(1).elementSize());
    }

    @Test
    void rejectsSafetensorsWithOffsetsPastTheFile() throws IOException {
        Path p = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}", 16);
        assertThrows(CorruptDataException.class, () -> TensorHeaders.safetensors(p));
        Path q = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,", 16);
        assertThrows(CorruptDataException.class, () -> TensorHeaders.safetensors(q));
    }

    @Test
    void rejectsAHeaderSizeBeyondTheFile() throws IOException {
        Path p = dir.resolve("bad");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        b.put((byte) '{');
        Files.write(p, b.array());
        assertThrows(CorruptDataException.class, () -> TensorHeaders.read(p));
        Files.write(p, "hello world".getBytes(StandardCharsets.US_ASCII));
        assertThrows(NotMmhFormatException.class, () -> TensorHeaders.read(p));
    }

    private static void str(ByteBuffer b, String s) {
        byte[] x = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(x.length).put(x);
    }

    @Test
    void readsGgufTensorInfos() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(3).putLong(2).putLong(2);
        str(b, "general.alignment");
        b.putInt(4).putInt(64);
        str(b, "tokenizer.tokens");
        b.putInt(9).putInt(8).putLong(2);
        str(b, "a");
        str(b, "bc");
        str(b, "w.f16");
        b.putInt(2).putLong(3).putLong(5).putInt(1).putLong(0);
        str(b, "w.q8");
        b.putInt(1).putLong(32).putInt(8).putLong(64);
        int infoEnd = b.position();
        long data = (infoEnd + 63) / 64 * 64;
        long size = data + 64 + 34;
        Path p = dir.resolve("m.gguf");
        byte[] all = new byte[(int) size];
        System.arraycopy(b.array(), 0, all, 0, infoEnd);
        Files.write(p, all);
        List<TensorInfo> t = TensorHeaders.read(p);
        assertEquals(List.of(new TensorInfo("w.f16", "float16", data, 30), new TensorInfo("w.q8", "ggml8", data + 64, 34)),
                t);
    }

    @Test
    void rejectsTruncatedGguf() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(3).putLong(1).putLong(1);
        Path p = dir.resolve("t.gguf");
        Files.write(p, b.array());
        assertThrows(CorruptDataException.class, () -> TensorHeaders.gguf(p));
        ByteBuffer c = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        c.putInt(0x46554747).putInt(3).putLong(1L << 40).putLong(0);
        Files.write(p, c.array());
        assertThrows(LimitExceededException.class, () -> TensorHeaders.gguf(p));
    }

    @Test
    void ggufDeclaringMoreTensorsThanTheLimitIsRefusedBeforeItReadsThem() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(3).putLong((1 << 18) + 1).putLong(0);
        Path p = dir.resolve("many.gguf");
        Files.write(p, b.array());
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> TensorHeaders.gguf(p));
        assertEquals("GGUF header needs 262145 tensors, the limit is 262144", e.getMessage());
    }

    /** Tensor names are what a GGUF header makes the reader keep: their total is bounded like a JSON header. */
    @Test
    void ggufTensorNamesBeyondTheHeaderLimitAreRefused() throws IOException {
        long limit = TensorHeaders.headerLimit();
        int nameLength = 1 << 20;
        long tensors = limit / nameLength + 1;
        Path p = dir.resolve("names.gguf");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0x46554747).putInt(3).putLong(tensors).putLong(0).flip();
            ch.write(h);
            byte[] name = new byte[nameLength];
            java.util.Arrays.fill(name, (byte) 'w');
            for (long t = 0; t < tensors; t++) {
                ByteBuffer e = ByteBuffer.allocate(8 + nameLength + 16).order(ByteOrder.LITTLE_ENDIAN);
                e.putLong(nameLength).put(name).putInt(0).putInt(0).putLong(0).flip(); // no dimensions, f32, at 0
                while (e.hasRemaining()) {
                    ch.write(e);
                }
            }
        }
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> TensorHeaders.gguf(p));
        assertEquals("GGUF tensor names needs " + tensors * nameLength + " bytes, the limit is " + limit,
                e.getMessage());
    }

    @Test
    void readsTfjsManifestsOfTheCorpus() throws IOException {
        Path corpus = Path.of(System.getProperty("mmh.corpus", "target/corpus"));
        String[][] cases = {{"human_faceres.json", "human_faceres.bin", "float16"},
            {"human_posenet.json", "human_posenet.bin", "float32"},
            {"human_movenet-lightning.json", "human_movenet-lightning.bin", "float16"}};
        for (String[] c : cases) {
            Path m = corpus.resolve("weights-meta").resolve(c[0]);
            Path bin = corpus.resolve("weights").resolve(c[1]);
            Assumptions.assumeTrue(Files.isRegularFile(m) && Files.isRegularFile(bin));
            Map<String, List<TensorInfo>> shards = TensorHeaders.tfjs(m);
            assertEquals(1, shards.size());
            List<TensorInfo> t = shards.values().iterator().next();
            TensorInfo last = t.get(t.size() - 1);
            // the tensors tile the shard exactly
            assertEquals(Files.size(bin), last.offset() + last.length(), c[0]);
            long dominant = t.stream().filter(x -> x.dtype().equals(c[2])).mapToLong(TensorInfo::length).sum();
            assertTrue(dominant > 0.9 * Files.size(bin), c[0] + " is mostly " + c[2]);
        }
    }
}
