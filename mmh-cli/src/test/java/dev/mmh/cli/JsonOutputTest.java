package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmh.analysis.Analyzer;
import dev.mmh.analysis.BlockAnalysis;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code --json} output of the command, read by an independent parser (Jackson), with its numbers compared
 * to the values they stand for: exactly, since JSON output is for programs.
 */
class JsonOutputTest extends InProcessCli {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static byte[] text(int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) "abcdefgh \n".charAt(r.nextInt(10));
        }
        return b;
    }

    @Test
    void infoGivesExactSizesAndRatio() throws IOException {
        Path f = Files.write(dir.resolve("j"), text(70_001));
        assertEquals(0, mmh("compress", "-q", "-B", "16K", "--codec", "zstd", "-l", "5", f.toString()), err);
        Path a = dir.resolve("j.mmh");
        assertEquals(0, mmh("info", "--json", a.toString()), err);
        JsonNode j = JACKSON.readTree(out);
        assertEquals(a.toString(), j.get("file").textValue());
        assertEquals(70_001, j.get("rawSize").longValue());
        assertEquals(Files.size(a), j.get("archiveSize").longValue());
        assertEquals(70_001.0 / Files.size(a), j.get("ratio").doubleValue(), "the ratio to the last bit");
        assertEquals(5, j.get("blockList").size());
        assertEquals(16_384, j.get("blockList").get(0).get("rawSize").longValue());
        assertEquals("zstd", j.get("blockList").get(4).get("codec").textValue());
    }

    @Test
    void infoOfAnEmptyArchiveIsValidJson() throws IOException {
        Path f = Files.write(dir.resolve("empty"), new byte[0]);
        assertEquals(0, mmh("compress", "-q", f.toString()), err);
        assertEquals(0, mmh("info", "--json", dir.resolve("empty.mmh").toString()), err);
        JsonNode j = JACKSON.readTree(out);
        assertEquals(0, j.get("rawSize").longValue());
        assertEquals(0, j.get("blocks").intValue());
        assertEquals(0.0, j.get("ratio").doubleValue());
        assertEquals(0, j.get("blockList").size());
    }

    @Test
    void infoOfSeveralArchivesIsOneListEvenWhenOneFails() throws IOException {
        Path name = Files.write(dir.resolve("tab\there \"quoted\" \\ é"), text(3000));
        Path other = Files.write(dir.resolve("other"), text(5000));
        assertEquals(0, mmh("compress", "-q", name.toString(), other.toString()), err);
        int code = mmh("info", "--json", name + ".mmh", dir.resolve("missing.mmh").toString(), other + ".mmh");
        assertEquals(ExitCode.IO_ERROR, code, err);
        JsonNode j = JACKSON.readTree(out);
        assertEquals(2, j.size(), out);
        assertEquals(name + ".mmh", j.get(0).get("file").textValue(), "a name with a tab, quotes and a backslash");
        assertEquals(5000, j.get(1).get("rawSize").longValue());
    }

    @Test
    void analyzeGivesTheAnalysisFiguresExactly() throws Exception {
        byte[] data = text(200_000);
        Path f = Files.write(dir.resolve("a.txt"), data);
        assertEquals(0, mmh("analyze", "--json", f.toString()), err);
        JsonNode j = JACKSON.readTree(out);
        assertEquals(200_000, j.get("size").longValue());
        JsonNode region = j.get("regions").get(0);
        BlockAnalysis expected;
        try (Analyzer an = new Analyzer()) {
            expected = an.analyze(data, 0, data.length);
        }
        assertEquals(expected.entropy(), region.get("entropy").doubleValue(), "entropy to the last bit");
        assertEquals(expected.confidence(), region.get("confidence").doubleValue());
        Codec zstd = Codecs.byName("zstd");
        long packed;
        try (Compressor c = zstd.newCompressor(CodecParams.level(zstd.defaultLevel()))) {
            byte[] dst = new byte[(int) zstd.maxCompressedLength(data.length)];
            packed = c.compress(data, 0, data.length, dst, 0, dst.length);
        }
        assertEquals((double) data.length / packed,
                j.get("estimatedRatio").get("zstd " + zstd.defaultLevel()).doubleValue());
    }

    @Test
    void analyzeOfAnEmptyFileIsValidJson() throws Exception {
        Path f = Files.write(dir.resolve("e"), new byte[0]);
        assertEquals(0, mmh("analyze", "--json", f.toString()), err);
        JsonNode j = JACKSON.readTree(out);
        assertEquals(0, j.get("size").longValue());
        assertEquals(0, j.get("regions").size());
        j.get("estimatedRatio").forEach(v -> assertTrue(v.isNumber() || v.isNull(), out));
    }

    @Test
    void benchJsonGivesEveryRunAndMedianExactly() throws Exception {
        Path f = Files.write(dir.resolve("b.txt"), text(100_000));
        Path report = dir.resolve("r.json");
        assertEquals(0, mmh("bench", "--no-progress", "--modes", "lib", "--codecs", "zstd:1,3", "--runs", "3",
                "--warmup", "0", "--threads", "1", "--work", dir.resolve("work").toString(), "--json",
                report.toString(), f.toString()), err);
        JsonNode j = JACKSON.readTree(report.toFile());
        assertEquals(2, j.get("results").size());
        for (JsonNode row : j.get("results")) {
            long raw = row.get("raw_bytes").longValue();
            double[] speeds = new double[3];
            for (int i = 0; i < 3; i++) {
                speeds[i] = raw / row.get("runs").get(i).get("compress_s").doubleValue() / 1e6;
            }
            java.util.Arrays.sort(speeds);
            assertEquals(speeds[1], row.get("compress_mb_per_s").get("median").doubleValue(),
                    "the median of the runs as written, to the last bit");
            assertEquals((double) raw / row.get("compressed_bytes").longValue(), row.get("ratio").doubleValue());
        }
    }
}
