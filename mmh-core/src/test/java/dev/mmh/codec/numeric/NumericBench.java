package dev.mmh.codec.numeric;

import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process benchmark of the numeric codec (not a test): {@code NumericBench [reps] file[:bf16]...}. Each file is
 * cut into 8 MiB blocks (the CLI's default block size) and compressed and decompressed whole through {@link
 * NumericCodec}, best of {@code reps} by this thread's CPU time (the machine is shared: wall time would count the
 * other processes' turns). {@code :bf16} rounds a float32 file to bfloat16 first (round to nearest even), as a
 * bfloat16 checkpoint made from it would hold. Also times the static format alone ({@link RansModel} with the
 * layout the codec picks) and the codec's choices (layout estimate, adaptive trial) apart.
 *
 * <p>Run it with and without {@code -XX:TieredStopAtLevel=1} (the launcher's C1-only mode) and with {@code
 * -Dmmh.numeric.native=false} (pure Java); {@code -Dmmh.numbench.zstd=true} adds the size of zstd -19 on the whole
 * input (zstd-jni, one thread).
 */
public final class NumericBench {
    private NumericBench() {
    }

    private static final int BLOCK = 8 << 20;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** float32 little-endian to bfloat16 little-endian, rounding to nearest even. */
    static byte[] toBf16(byte[] f32) {
        int e = f32.length / 4;
        byte[] out = new byte[2 * e];
        for (int i = 0; i < e; i++) {
            int v = (f32[4 * i] & 0xFF) | (f32[4 * i + 1] & 0xFF) << 8 | (f32[4 * i + 2] & 0xFF) << 16
                    | f32[4 * i + 3] << 24;
            int h = (v + 0x7FFF + ((v >>> 16) & 1)) >>> 16;
            if ((v & 0x7F800000) == 0x7F800000) {
                h = v >>> 16; // inf and NaN unrounded
            }
            out[2 * i] = (byte) h;
            out[2 * i + 1] = (byte) (h >>> 8);
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        NumericCodec codec = new NumericCodec();
        System.out.println("native: " + (NativeRans.AVAILABLE ? "yes" : "no (" + NativeRans.loadError() + ")"));
        for (int a = 1; a < args.length; a++) {
            String arg = args[a];
            boolean bf16 = arg.endsWith(":bf16");
            Path f = Path.of(bf16 ? arg.substring(0, arg.length() - 5) : arg);
            byte[] raw = Files.readAllBytes(f);
            if (bf16) {
                raw = toBf16(raw);
            }
            int n = raw.length;
            int blocks = (n + BLOCK - 1) / BLOCK;
            byte[][] enc = new byte[blocks][];
            byte[] out = new byte[(int) codec.maxCompressedLength(BLOCK)];
            long bestC = Long.MAX_VALUE;
            try (Compressor c = codec.newCompressor(CodecParams.level(1))) {
                for (int r = 0; r < reps; r++) {
                    long t0 = cpu();
                    for (int b = 0; b < blocks; b++) {
                        int off = b * BLOCK;
                        int len = Math.min(BLOCK, n - off);
                        int m = c.compress(raw, off, len, out, 0, out.length);
                        if (r == 0) {
                            enc[b] = Arrays.copyOf(out, m);
                        }
                    }
                    bestC = Math.min(bestC, cpu() - t0);
                }
            }
            long size = 0;
            StringBuilder formats = new StringBuilder();
            for (byte[] e : enc) {
                size += e.length;
                formats.append(e[0]);
            }
            byte[] back = new byte[n];
            long bestD = Long.MAX_VALUE;
            try (Decompressor d = codec.newDecompressor(CodecParams.level(1))) {
                for (int r = 0; r < reps; r++) {
                    Arrays.fill(back, (byte) 0);
                    long t0 = cpu();
                    for (int b = 0; b < blocks; b++) {
                        int off = b * BLOCK;
                        d.decompress(enc[b], 0, enc[b].length, back, off, Math.min(BLOCK, n - off));
                    }
                    bestD = Math.min(bestD, cpu() - t0);
                }
            }
            if (!Arrays.equals(raw, back)) {
                throw new AssertionError("round trip failed: " + arg);
            }
            // the static formats alone (Java and C), with the codec's layout, and the codec's choices apart
            int[][] layouts = new int[blocks][];
            long bestPick = Long.MAX_VALUE;
            long bestTrial = Long.MAX_VALUE;
            AdaptiveModel adaptive = new AdaptiveModel();
            LayoutChooser chooser = new LayoutChooser();
            for (int r = 0; r < reps; r++) {
                long pick = 0;
                long trial = 0;
                for (int b = 0; b < blocks; b++) {
                    int off = b * BLOCK;
                    int len = Math.min(BLOCK, n - off);
                    long t0 = cpu();
                    layouts[b] = chooser.choose(raw, off, len);
                    long t1 = cpu();
                    NumericCodec.adaptiveLooksBetter(adaptive, raw, off, len, enc[b].length);
                    long t2 = cpu();
                    pick += t1 - t0;
                    trial += t2 - t1;
                }
                bestPick = Math.min(bestPick, pick);
                bestTrial = Math.min(bestTrial, trial);
            }
            StringBuilder formatTimes = new StringBuilder();
            for (int format : new int[] {1, 3}) {
                if (format == 3 && !LanesModel.fits(layouts[0])) {
                    continue;
                }
                formatTimes.append(String.format("%n    format %02d alone, encode / decode MB/s:", format));
                for (int v = 0; v < 2; v++) {
                    boolean nat = v == 1;
                    if (nat && !NativeRans.AVAILABLE) {
                        formatTimes.append("  native -");
                        continue;
                    }
                    RansModel rm = new RansModel(nat);
                    LanesModel lm = new LanesModel(nat);
                    byte[][] coded = new byte[blocks][];
                    long bestE = Long.MAX_VALUE;
                    long bestDec = Long.MAX_VALUE;
                    long fsize = 0;
                    for (int r = 0; r < reps; r++) {
                        long t = 0;
                        fsize = 0;
                        for (int b = 0; b < blocks; b++) {
                            int off = b * BLOCK;
                            int len = Math.min(BLOCK, n - off);
                            long t0 = cpu();
                            int sz = format == 1 ? rm.encode(raw, off, len, layouts[b], out, 0, out.length)
                                    : lm.encode(raw, off, len, LanesModel.layoutFor(layouts[b]), out, 0, out.length);
                            t += cpu() - t0;
                            coded[b] = Arrays.copyOf(out, sz);
                            fsize += sz;
                        }
                        bestE = Math.min(bestE, t);
                    }
                    for (int r = 0; r < reps; r++) {
                        Arrays.fill(back, (byte) 0);
                        long t0 = cpu();
                        for (int b = 0; b < blocks; b++) {
                            int off = b * BLOCK;
                            int len = Math.min(BLOCK, n - off);
                            if (format == 1) {
                                rm.decode(coded[b], 0, coded[b].length, back, off, len);
                            } else {
                                lm.decode(coded[b], 0, coded[b].length, back, off, len);
                            }
                        }
                        bestDec = Math.min(bestDec, cpu() - t0);
                    }
                    if (!Arrays.equals(raw, back)) {
                        throw new AssertionError("format " + format + " round trip failed: " + arg);
                    }
                    formatTimes.append(String.format("  %s %7.1f / %7.1f", nat ? "native" : "java", n / (bestE / 1e3),
                            n / (bestDec / 1e3)));
                    if (nat || !NativeRans.AVAILABLE) {
                        formatTimes.append(String.format("  (%d bytes)", fsize));
                    }
                }
            }
            String zstd = "";
            if (Boolean.getBoolean("mmh.numbench.zstd")) {
                long z = com.github.luben.zstd.Zstd.compress(raw, 19).length;
                zstd = String.format("  zstd-19 %d (%.3f)", z, (double) size / z);
            }
            System.out.printf("%-34s %9d -> %9d (ratio %.3f, formats %s)%s%n", f.getFileName() + (bf16 ? " bf16" : ""),
                    n, size, (double) n / size, formats, zstd);
            System.out.printf("    codec: compress %7.1f MB/s  decompress %7.1f MB/s | layout choice %5.2f ms  adaptive"
                    + " trial %5.2f ms (floats skip it)%s%n", n / (bestC / 1e3), n / (bestD / 1e3), bestPick / 1e6,
                    bestTrial / 1e6, formatTimes);
        }
    }
}
