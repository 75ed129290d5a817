package dev.mmh.jmh;

import dev.mmh.bench.DataKind;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
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

/** Block checksums over 1 MiB: the JDK's CRC32C (intrinsic) and lz4-java's XXH64 (JNI and pure Java). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChecksumBench {
    @Param({"1048576"})
    int size;

    private byte[] data;
    private final CRC32C crc = new CRC32C();
    private final XXHash64 xxNative = XXHashFactory.fastestInstance().hash64();
    private final XXHash64 xxJava = XXHashFactory.fastestJavaInstance().hash64();

    @Setup(Level.Trial)
    public void setUp() {
        data = Data.generate(DataKind.RANDOM, size);
    }

    @Benchmark
    public long crc32c() {
        crc.reset();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }

    @Benchmark
    public long xxh64Native() {
        return xxNative.hash(data, 0, data.length, 0);
    }

    @Benchmark
    public long xxh64Java() {
        return xxJava.hash(data, 0, data.length, 0);
    }
}
