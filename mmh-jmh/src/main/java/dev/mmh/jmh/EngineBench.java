package dev.mmh.jmh;

import dev.mmh.bench.DataKind;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** The block engine end to end in memory: 16 MB through Mmh.compress and Mmh.decompress. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class EngineBench {
    @Param({"zstd"})
    String codec;

    @Param({"1"})
    int level;

    @Param({"1", "2"})
    int threads;

    @Param({"1048576"})
    int blockSize;

    private byte[] raw;
    private byte[] archive;
    private CompressOptions options;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        raw = Data.generate(DataKind.MIX, 16_000_000);
        options = CompressOptions.builder().codec(codec).level(level).threads(threads).blockSize(blockSize).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mmh.compress(new ByteArrayInputStream(raw), out, options);
        archive = out.toByteArray();
    }

    /** Discards what it is given, keeping the JIT from removing the work. */
    private static OutputStream sink(Blackhole bh) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                bh.consume(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bh.consume(b);
                bh.consume(len);
            }
        };
    }

    @Benchmark
    public void compress(Blackhole bh) throws IOException {
        Mmh.compress(new ByteArrayInputStream(raw), sink(bh), options);
    }

    @Benchmark
    public void decompress(Blackhole bh) throws IOException {
        Mmh.decompress(new ByteArrayInputStream(archive), sink(bh),
                DecompressOptions.builder().threads(threads).build());
    }
}
