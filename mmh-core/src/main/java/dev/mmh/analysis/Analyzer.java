package dev.mmh.analysis;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.mmh.transform.BytePlanesTransform;
import dev.mmh.transform.DeltaTransform;
import dev.mmh.transform.Transforms;
import java.util.List;

/**
 * Looks at a block and says what it is and how to compress it: magic bytes, periodicity, a zstd -1 probe,
 * entropy, text, float and sample structure, x86 code and fixed-size records.
 *
 * <p>It reads a sample of at most 32 KiB (8 pieces of 4 KiB spread over the block, each starting at a multiple
 * of 16 bytes from the block start, so element alignment is kept), plus a few hundred bytes for the periodicity
 * check; the cost does not grow with the block size.
 *
 * <p>Not thread-safe: keep one per worker thread. {@link #close()} frees the native probe context; the analyzer
 * must not be used afterwards. Buffers passed in are only read, never kept.
 */
public final class Analyzer implements AutoCloseable {
    private static final int PIECE = 4096;
    private static final int PIECES = 8;
    private static final int SAMPLE = PIECE * PIECES;

    private final ZstdCompressCtx probe = new ZstdCompressCtx();
    private final byte[] sample = new byte[SAMPLE];
    private final byte[] probeOut = new byte[SAMPLE + SAMPLE / 8 + 1024];
    private final int[][] lanes = new int[4][256];
    private final int[] targets = new int[4096];
    /** Offset in the block of each sample piece. */
    private final int[] pieceStart = new int[PIECES];

    public Analyzer() {
        probe.setLevel(1);
        probe.setChecksum(false);
    }

    /** Analyses {@code b[off, off+len)}. */
    public BlockAnalysis analyze(byte[] b, int off, int len) {
        return analyze(b, off, len, null);
    }

    /**
     * Analyses {@code b[off, off+len)}, whose element type the file's own header declares ({@code float32},
     * {@code float16}, {@code bfloat16}; anything else or {@code null}: nothing declared). A declared float type
     * is trusted over the guess from the data, unless the block is periodic or does not compress at all.
     */
    public BlockAnalysis analyze(byte[] b, int off, int len, String declared) {
        if (len == 0) {
            return new BlockAnalysis(DataKind.EMPTY, 1, null, 0, 0, 0, Choice.store(), Choice.store(), Choice.store(),
                    List.of(), "empty block");
        }
        String format = Magic.detect(b, off, len);
        int n = takeSample(b, off, len);
        double probeRatio = probeRatio(n);
        for (int[] l : lanes) {
            java.util.Arrays.fill(l, 0);
        }
        int[] l0 = lanes[0];
        int[] l1 = lanes[1];
        int[] l2 = lanes[2];
        int[] l3 = lanes[3];
        int i4 = n & ~3;
        for (int i = 0; i < i4; i += 4) {
            l0[sample[i] & 0xFF]++;
            l1[sample[i + 1] & 0xFF]++;
            l2[sample[i + 2] & 0xFF]++;
            l3[sample[i + 3] & 0xFF]++;
        }
        for (int i = i4; i < n; i++) {
            lanes[i & 3][sample[i] & 0xFF]++;
        }
        int[] all = new int[256];
        for (int[] l : lanes) {
            for (int v = 0; v < 256; v++) {
                all[v] += l[v];
            }
        }
        double h = entropy(all);

        int period = Periodicity.find(b, off, len);
        if (period > 0 && (period < len / 4 || probeRatio > 0.5)) {
            Choice c = Choice.zstd(3).with(Transforms.PERIODIC, period);
            return result(DataKind.PERIODIC, 0.95, format, h, probeRatio, period, c, c, Choice.zstd(19)
                    .with(Transforms.PERIODIC, period), "repeats every " + period + " bytes", Choice.xz9e());
        }
        // a known compressed format is stored only when the probe agrees: a zip of deflated text probes ~0.91 on
        // 4 KiB pieces yet zstd -3 takes 13% off the whole file (the corpus's cantrbry.zip)
        if (probeRatio > STORE_PROBE) {
            String why = format != null ? format + " data, already compressed"
                    : "entropy " + fixed(h, 2) + " bits/byte, zstd -1 probe saves " + fixed(100 * (1 - probeRatio), 1) + "%";
            return result(format != null ? DataKind.COMPRESSED : DataKind.INCOMPRESSIBLE, format != null ? 0.99 : 0.9,
                    format, h, probeRatio, 0, Choice.store(), Choice.store(), Choice.store(), why);
        }
        if (declared != null) {
            String why = declared + ", declared by the file's header";
            switch (declared) {
                case "float32":
                    return float32(format, h, probeRatio, why);
                case "float16":
                    return float16(format, h, probeRatio, why);
                case "bfloat16":
                    return bfloat16(format, h, probeRatio, why);
                default:
                    break;
            }
        }
        if (isText(all, n)) {
            return result(DataKind.TEXT, 0.9, format, h, probeRatio, 0, Choice.zstd(1), Choice.zstd(3), Choice.bwt(),
                    "text, entropy " + fixed(h, 2) + " bits/byte", Choice.xz9e());
        }
        BlockAnalysis numeric = numeric(n, format, h, probeRatio);
        if (numeric != null) {
            return numeric;
        }
        double calls = x86Score(n);
        if (calls > 0) {
            Choice f = Choice.zstd(1).with(Transforms.X86, 0);
            Choice d = Choice.zstd(3).with(Transforms.X86, 0);
            Choice m = Choice.xz9e().with(Transforms.X86, 0);
            return result(DataKind.X86, Math.min(0.95, 0.5 + calls / 20), format, h, probeRatio, 0, f, d, m,
                    "x86 code, " + fixed(calls, 1) + " near calls per KiB to repeated targets",
                    Choice.bwt().with(Transforms.X86, 0));
        }
        int stride = recordStride(n);
        if (stride > 0) {
            Choice m = Choice.xz9e().with(Transforms.DELTA, DeltaTransform.param(1, stride, false));
            return result(DataKind.RECORDS, 0.7, format, h, probeRatio, stride, Choice.zstd(1), Choice.zstd(3), m,
                    "fixed-size records of " + stride + " bytes", Choice.xz9e(), Choice.bwt());
        }
        return result(DataKind.BINARY, 0.6, format, h, probeRatio, 0, Choice.zstd(1), Choice.zstd(3), Choice.xz9e(),
                "binary, entropy " + fixed(h, 2) + " bits/byte, zstd -1 probe " + fixed(probeRatio, 2),
                Choice.bwt());
    }

    private static BlockAnalysis result(DataKind kind, double conf, String format, double h, double probe, int param,
            Choice fast, Choice normal, Choice max, String reason, Choice... alternatives) {
        return new BlockAnalysis(kind, conf, format, h, probe, param, fast, normal, max, List.of(alternatives), reason);
    }

    private int takeSample(byte[] b, int off, int len) {
        if (len <= SAMPLE) {
            System.arraycopy(b, off, sample, 0, len);
            for (int k = 0; k < PIECES; k++) {
                pieceStart[k] = k * PIECE;
            }
            return len;
        }
        long span = len - PIECE;
        for (int k = 0; k < PIECES; k++) {
            int start = (int) (span * k / (PIECES - 1)) & ~15;
            pieceStart[k] = start;
            System.arraycopy(b, off + start, sample, k * PIECE, PIECE);
        }
        return SAMPLE;
    }

    private double probeRatio(int n) {
        if (n < 64) {
            return 1;
        }
        try {
            return (double) probe.compressByteArray(probeOut, 0, probeOut.length, sample, 0, n) / n;
        } catch (ZstdException e) {
            return 1;
        }
    }

    /**
     * {@code v} with {@code decimals} (0..3) digits after the point, as String.format prints a non-negative value
     * (and {@code |v|} below 10^15): the analysis runs for every block, and String.format costs more than the
     * analysis itself under the launcher's C1 compiler. Like String.format it rounds half up the shortest decimal
     * that identifies {@code v} (Double.toString's digits), not the binary value: 1.005, stored as
     * 1.00499999999999989..., prints as 1.01.
     */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        String s = Double.toString(Math.abs(v));
        int e = s.indexOf('E');
        int end = e < 0 ? s.length() : e;
        int dot = s.indexOf('.');
        // |v| = 0.D * 10^point, D being the digits around the dot
        int point = dot + (e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10));
        int keep = point + decimals;
        long r = 0;
        for (int i = 0, k = 0; k < keep; i++) {
            if (i == dot) {
                continue;
            }
            r = r * 10 + (i < end ? s.charAt(i) - '0' : 0);
            k++;
        }
        // the first dropped digit rounds half up
        int first = keep < 0 ? -1 : keep < dot ? keep : keep + 1;
        if (first >= 0 && first < end && s.charAt(first) >= '5') {
            r++;
        }
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        String sign = v < 0 && r != 0 ? "-" : "";
        if (decimals == 0) {
            return sign + r;
        }
        String frac = Long.toString(scale + r % scale).substring(1);
        return sign + (r / scale) + "." + frac;
    }

    static double entropy(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(2);
    }

    private static boolean isText(int[] all, int n) {
        long control = 0;
        for (int v = 0; v < 32; v++) {
            if (v != '\t' && v != '\n' && v != '\r' && v != '\f') {
                control += all[v];
            }
        }
        control += all[0x7F];
        long high = 0;
        for (int v = 0x80; v < 256; v++) {
            high += all[v];
        }
        return control * 100 < n && high * 4 < n;
    }

    /** Floats and 16-bit samples, from per-lane statistics of the sample. */
    private BlockAnalysis numeric(int n, String format, double h, double probeRatio) {
        if (n < 1024) {
            return null;
        }
        double[] lh = new double[4];
        for (int k = 0; k < 4; k++) {
            lh[k] = entropy(lanes[k]);
        }
        int elems4 = n / 4;
        // float32: a low-entropy top byte, two noisy low bytes, exponents in the range weights and signals use
        if (lh[3] < 6.5 && lh[0] > 7.0 && lh[1] > 7.0 && lh[1] - lh[3] > 1.0) {
            int plausible = 0;
            int zeros = 0;
            for (int i = 0; i + 3 < n; i += 4) {
                int e = ((sample[i + 3] & 0x7F) << 1) | ((sample[i + 2] & 0xFF) >>> 7);
                if (e >= 90 && e <= 140) {
                    plausible++;
                } else if (e == 0) {
                    zeros++;
                }
            }
            if (plausible + zeros > 0.6 * elems4) {
                return float32(format, h, probeRatio,
                        "float32, " + fixed(100.0 * plausible / elems4, 0) + "% with exponents of 2^-37..2^13");
            }
        }
        double hiH = entropy(sum(lanes[1], lanes[3]));
        double loH = entropy(sum(lanes[0], lanes[2]));
        if (!(hiH < loH - 0.5 && Math.abs(lh[1] - lh[3]) < 0.5)) {
            return null;
        }
        int elems = n / 2;
        int small = 0;
        int signed = 0;
        int[] e5 = new int[32];
        int[] e8 = new int[256];
        int prev = (sample[1] & 0xFF) << 8 | (sample[0] & 0xFF);
        for (int i = 0; i + 1 < n; i += 2) {
            int v = (sample[i + 1] & 0xFF) << 8 | (sample[i] & 0xFF);
            if (Math.abs((short) (v - prev)) < 256) {
                small++;
            }
            prev = v;
            if ((v & 0x7FFF) != 0) {
                e5[(v >>> 10) & 0x1F]++;
                e8[(v >>> 7) & 0xFF]++;
            }
            signed += v >>> 15;
        }
        if (small > 0.6 * elems) {
            int p = BytePlanesTransform.param(2, false);
            return result(DataKind.SAMPLES16, 0.8, format, h, probeRatio, 2, Choice.zstd(1).with(Transforms.PLANES, p),
                    Choice.zstd(3).with(Transforms.PLANES, p), Choice.bwt(),
                    "16-bit samples, " + fixed(100.0 * small / elems, 0) + "% of steps below 256",
                    Choice.bwt().with(Transforms.DELTA, DeltaTransform.param(2, 2, false)));
        }
        if (signed < 0.1 * elems) {
            return null; // floats from weights and signals have both signs
        }
        int m5 = median(e5);
        int m8 = median(e8);
        if (m5 >= 4 && m5 <= 13) {
            return float16(format, h, probeRatio, "float16, median exponent 2^" + (m5 - 15));
        }
        if (m8 >= 100 && m8 <= 134) {
            return bfloat16(format, h, probeRatio, "bfloat16, median exponent 2^" + (m8 - 127));
        }
        return null;
    }

    /**
     * zstd -1 probe ratio under which a float block has repeats worth an LZ trial at {@code --max}. Weights of
     * trained models probe at 0.9 and above (an LZ codec finds no matches in them, only the skew of the exponent
     * bytes) and {@code numeric} beats planes+zstd -19 on them by 1-3% at a tenth of the time, so the trial is
     * skipped; tensors with runs of zeros or repeated rows probe far lower, and there the LZ codec can win.
     */
    static final double FLOAT_REPEATS_PROBE = 0.8;

    /**
     * zstd -1 probe ratio over which a block is stored, whether or not its magic bytes name a compressed format:
     * JPEG, PNG, gzip and zstd data probe at 0.99 and above.
     */
    static final double STORE_PROBE = 0.97;

    /** The {@code --max} trial for a float block: planes+zstd -19 when the probe found repeats, else none. */
    private static Choice[] floatAlternatives(double probeRatio, int planesParam) {
        return probeRatio < FLOAT_REPEATS_PROBE ? new Choice[] {Choice.zstd(19).with(Transforms.PLANES, planesParam)}
                : new Choice[0];
    }

    private static BlockAnalysis float32(String format, double h, double probeRatio, String why) {
        int p = BytePlanesTransform.param(4, true);
        return result(DataKind.FLOAT32, 0.9, format, h, probeRatio, 4, Choice.zstd(1).with(Transforms.PLANES, p),
                Choice.zstd(3).with(Transforms.PLANES, p), Choice.numeric(), why, floatAlternatives(probeRatio, p));
    }

    private static BlockAnalysis float16(String format, double h, double probeRatio, String why) {
        int p = BytePlanesTransform.param(2, false);
        return result(DataKind.FLOAT16, 0.8, format, h, probeRatio, 2, Choice.zstd(1).with(Transforms.PLANES, p),
                Choice.zstd(3).with(Transforms.PLANES, p), Choice.numeric(), why, floatAlternatives(probeRatio, p));
    }

    private static BlockAnalysis bfloat16(String format, double h, double probeRatio, String why) {
        int p = BytePlanesTransform.param(2, true);
        return result(DataKind.BFLOAT16, 0.8, format, h, probeRatio, 2, Choice.zstd(1).with(Transforms.PLANES, p),
                Choice.zstd(3).with(Transforms.PLANES, p), Choice.numeric(), why, floatAlternatives(probeRatio, p));
    }

    private static int[] sum(int[] a, int[] b) {
        int[] s = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    private static int median(int[] hist) {
        long total = 0;
        for (int c : hist) {
            total += c;
        }
        long acc = 0;
        for (int v = 0; v < hist.length; v++) {
            acc += hist[v];
            if (2 * acc >= total) {
                return v;
            }
        }
        return -1;
    }

    /**
     * Near call/jump opcodes (E8/E9 with a displacement within ±16 MiB) whose absolute targets repeat, per KiB of
     * sample; 0 when it does not look like x86 code.
     */
    private double x86Score(int n) {
        int count = 0;
        int repeated = 0;
        int mask = targets.length - 1;
        java.util.Arrays.fill(targets, 0);
        for (int i = 0; i + 5 <= n; i++) {
            int op = sample[i] & 0xFF;
            int top = sample[i + 4] & 0xFF;
            if ((op & 0xFE) != 0xE8 || (top != 0 && top != 0xFF)) {
                continue;
            }
            int rel = (sample[i + 1] & 0xFF) | (sample[i + 2] & 0xFF) << 8 | (sample[i + 3] & 0xFF) << 16 | top << 24;
            if (rel == 0) {
                continue; // runs of zeros are not calls
            }
            int target = pieceStart[i / PIECE] + (i % PIECE) + rel + 5;
            int slot = (target * 0x9E3779B1) >>> 20 & mask;
            if (targets[slot] == target + 1) {
                repeated++;
            } else {
                targets[slot] = target + 1;
            }
            count++;
            i += 4;
        }
        double perKiB = count * 1024.0 / n;
        return perKiB >= 2 && repeated >= 0.05 * count ? perKiB : 0;
    }

    /** The record size (2..64, or a multiple of 8 up to 256) at which bytes repeat far more often than at distance 1, or 0. */
    private int recordStride(int n) {
        int best = 0;
        double bestEq = 0;
        double base = 0;
        for (int r = 1; r <= 256; r += r < 64 ? 1 : 8) {
            int eq = 0;
            int total = 0;
            for (int p = 0; p < n; p += PIECE) {
                int end = Math.min(n, p + PIECE);
                for (int i = p + r; i < end; i += 31) {
                    if (sample[i] == sample[i - r]) {
                        eq++;
                    }
                    total++;
                }
            }
            double f = total == 0 ? 0 : (double) eq / total;
            if (r == 1) {
                base = f;
            } else if (f > bestEq * 1.1) {
                bestEq = f;
                best = r;
            }
        }
        return bestEq > 0.3 && bestEq > base + 0.15 ? best : 0;
    }

    @Override
    public void close() {
        probe.close();
    }
}
