package dev.mmh.bench;

import dev.mmh.analysis.Goal;
import dev.mmh.codec.Codec;
import dev.mmh.codec.Codecs;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * mmh through its library ({@link Mmh}), in this JVM: no start-up cost, the codec's native library already loaded.
 * CPU time is the whole JVM's (the engine's worker threads included); peak RSS is the JVM's, reset before each step
 * where Linux allows it, so it includes the JVM's own heap and code.
 */
final class LibraryRunner extends BaseRunner {
    private final String codec;
    private final int blockSize;

    /** @param blockSize engine block size in bytes, 0 for the engine's default */
    LibraryRunner(String codec, int level, int threads, int blockSize) {
        super(Mode.LIB, "mmh", codec, level, threads);
        this.codec = codec;
        this.blockSize = blockSize;
    }

    private CompressOptions options() {
        CompressOptions.Builder b;
        if (codec.equals(CodecChoice.AUTO)) {
            // as 'mmh compress' without --codec: zstd at the goal's level as the base, mmh choosing per block
            Codec zstd = Codecs.byName("zstd");
            int goal = level();
            b = CompressOptions.builder().codec("zstd").threads(threads())
                    .level(goal == CodecChoice.AUTO_FAST ? zstd.fastLevel() : goal == CodecChoice.AUTO_MAX ? zstd.maxLevel()
                            : zstd.defaultLevel())
                    .goal(goal == CodecChoice.AUTO_FAST ? Goal.FAST : goal == CodecChoice.AUTO_MAX ? Goal.MAX : Goal.DEFAULT);
        } else {
            b = CompressOptions.builder().codec(codec).level(level()).threads(threads());
        }
        if (blockSize > 0) {
            b.blockSize(blockSize);
        }
        return b.build();
    }

    @Override
    public Measure compress(Path input, Path output) throws IOException {
        CompressOptions o;
        try {
            o = options();
        } catch (RuntimeException e) {
            throw new StepFailedException(label() + ": " + e.getMessage(), e);
        }
        return timed(label(), () -> {
            try (InputStream in = Files.newInputStream(input); OutputStream out = Files.newOutputStream(output)) {
                Mmh.compress(in, out, o);
            }
        });
    }

    @Override
    public Measure decompress(Path input, OutputStream sink) throws IOException {
        return timed(label(), () -> {
            try (InputStream in = Files.newInputStream(input)) {
                Mmh.decompress(in, sink, DecompressOptions.builder().threads(threads()).build());
            }
        });
    }

    /** A step of in-process work. */
    interface Step {
        void run() throws IOException;
    }

    /** Times one in-process step: wall time, the JVM's CPU time and its peak RSS; any failure becomes one line. */
    static Measure timed(String label, Step step) throws IOException {
        boolean rss = JvmProbe.resetPeakRss();
        double cpu0 = JvmProbe.processCpuSeconds();
        long t0 = System.nanoTime();
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            throw new StepFailedException(label + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = JvmProbe.processCpuSeconds() - cpu0;
        return new Measure(wall, cpu, rss ? JvmProbe.peakRssKiB() : -1);
    }
}
