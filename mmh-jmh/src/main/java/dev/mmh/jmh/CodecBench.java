package dev.mmh.jmh;

import dev.mmh.bench.DataKind;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** One block through a codec's SPI, with reused contexts as the engine's workers use them. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBench {
    @Param({"zstd", "lz4", "deflate", "brotli"})
    String codec;

    @Param({"1", "3"})
    int level;

    @Param({"MIX"})
    DataKind kind;

    private byte[] raw;
    private byte[] compressed;
    private int compressedLength;
    private byte[] out;
    private byte[] back;
    private Compressor compressor;
    private Decompressor decompressor;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Codec c = Codecs.byName(codec);
        CodecParams p = CodecParams.level(Math.max(c.minLevel(), Math.min(level, c.maxLevel())));
        raw = Data.generate(kind, 1 << 20);
        out = new byte[(int) c.maxCompressedLength(raw.length)];
        compressed = new byte[out.length];
        back = new byte[raw.length];
        compressor = c.newCompressor(p);
        decompressor = c.newDecompressor(p);
        compressedLength = compressor.compress(raw, 0, raw.length, compressed, 0, compressed.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compressor.close();
        decompressor.close();
    }

    @Benchmark
    public int compress() throws IOException {
        return compressor.compress(raw, 0, raw.length, out, 0, out.length);
    }

    @Benchmark
    public byte[] decompress() throws IOException {
        decompressor.decompress(compressed, 0, compressedLength, back, 0, back.length);
        return back;
    }
}
