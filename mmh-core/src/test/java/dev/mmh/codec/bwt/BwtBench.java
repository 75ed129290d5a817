package dev.mmh.codec.bwt;

import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process decode benchmark of the bwt codec (not a test): {@code BwtBench [reps] file...}. Compresses the first
 * 8 MiB of each file once (cached next to {@code mmh.bwtbench.cache}, default /tmp/bwtbench), then times (thread CPU
 * time) whole block decodes by the codec (the native decoder where it loaded) and by the Java decoder, and the Java
 * decoder's entropy stage and inverse BWT apart. Run it with and without {@code -XX:TieredStopAtLevel=1} (the
 * launcher's C1-only mode).
 */
public final class BwtBench {
    private BwtBench() {
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's CPU time: the machine is shared, so wall time would count the other processes' turns. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        Path cache = Path.of(System.getProperty("mmh.bwtbench.cache", "/tmp/bwtbench"));
        Files.createDirectories(cache);
        BwtCodec codec = new BwtCodec();
        double totRaw = 0;
        double totFull = 0;
        double totJava = 0;
        for (int a = 1; a < args.length; a++) {
            Path f = Path.of(args[a]);
            byte[] raw;
            try (var in = Files.newInputStream(f)) {
                raw = in.readNBytes(8 << 20);
            }
            Path c = cache.resolve(f.getFileName() + ".bwt");
            byte[] enc;
            if (Files.isRegularFile(c) && !Boolean.getBoolean("mmh.bwtbench.fresh")) {
                enc = Files.readAllBytes(c);
            } else {
                byte[] out = new byte[(int) codec.maxCompressedLength(raw.length)];
                try (Compressor comp = codec.newCompressor(CodecParams.level(1))) {
                    enc = Arrays.copyOf(out, comp.compress(raw, 0, raw.length, out, 0, out.length));
                }
                Files.write(c, enc);
            }
            byte[] dst = new byte[raw.length];
            long best = Long.MAX_VALUE;
            try (Decompressor d = codec.newDecompressor(CodecParams.level(1))) {
                for (int r = 0; r < reps; r++) {
                    long t0 = cpu();
                    d.decompress(enc, 0, enc.length, dst, 0, raw.length);
                    best = Math.min(best, cpu() - t0);
                }
            }
            if (!Arrays.equals(raw, dst)) {
                throw new AssertionError("round trip failed: " + f);
            }
            long bestJava = Long.MAX_VALUE;
            try (Decompressor d = BwtCodec.newJavaDecompressor()) {
                for (int r = 0; r < reps; r++) {
                    Arrays.fill(dst, (byte) 0);
                    long t0 = cpu();
                    d.decompress(enc, 0, enc.length, dst, 0, raw.length);
                    bestJava = Math.min(bestJava, cpu() - t0);
                }
            }
            if (!Arrays.equals(raw, dst)) {
                throw new AssertionError("Java round trip failed: " + f);
            }
            // the stages apart: entropy decode of the sorted bytes, and the inverse transform
            Bwt bwt = new Bwt();
            int n = raw.length;
            int step = BwtCodec.chainStep(n);
            int[] rows = new int[(n + step - 1) / step - 1];
            byte[] sorted = new byte[n];
            int primary = bwt.forward(raw, 0, n, sorted, 0, step, rows);
            bwt.trim();
            RankCoder rc = new RankCoder();
            byte[] coded = new byte[n + n / 2 + 1024];
            int end = rc.encode(sorted, 0, n, coded, 0, coded.length);
            long bestRc = Long.MAX_VALUE;
            long bestInv = Long.MAX_VALUE;
            byte[] back = new byte[n];
            int[] table = new int[n + 1];
            int[] count = new int[256];
            for (int r = 0; r < reps; r++) {
                long t0 = cpu();
                if (!rc.decode(coded, 0, end, back, 0, n, count)) {
                    throw new AssertionError("rank decode failed");
                }
                long t1 = cpu();
                Bwt.inverse(back, 0, n, primary, step, rows, dst, 0, table, count);
                long t2 = cpu();
                bestRc = Math.min(bestRc, t1 - t0);
                bestInv = Math.min(bestInv, t2 - t1);
            }
            if (!Arrays.equals(raw, dst) || !Arrays.equals(sorted, back)) {
                throw new AssertionError("stage round trip failed: " + f);
            }
            System.out.printf("%-10s %9d -> %9d  %s %7.1f ms %6.1f MB/s | Java %7.1f ms %6.1f MB/s: ranks %7.1f ms"
                    + " %6.1f MB/s, inverse %6.1f ms %6.1f MB/s%n", f.getFileName(), n, enc.length,
                    NativeBwt.AVAILABLE ? "native" : "codec ", best / 1e6, n / (best / 1e3), bestJava / 1e6,
                    n / (bestJava / 1e3), bestRc / 1e6, n / (bestRc / 1e3), bestInv / 1e6, n / (bestInv / 1e3));
            totRaw += n;
            totFull += best;
            totJava += bestJava;
        }
        System.out.printf("total %.1f MB: %s %.1f ms, %.1f MB/s; Java %.1f ms, %.1f MB/s%n", totRaw / 1e6,
                NativeBwt.AVAILABLE ? "native" : "codec", totFull / 1e6, totRaw / (totFull / 1e3), totJava / 1e6,
                totRaw / (totJava / 1e3));
    }
}
