package dev.mmh.codec.numeric;

/**
 * Chooses the static formats' layout for a block, and whether the block holds floats. For each of {@link
 * RansModel#LAYOUTS}: the empirical entropy of both models over 16 pieces of 4 KiB spread evenly over the block,
 * counted together (so that a piece of padding or of image background does not decide), plus 2 nats for every
 * symbol seen in a context beyond its first (a sample of 64 KiB understates what contexts with few elements each
 * will cost the whole block: without it 16-bit layouts win on float32 data), scaled to the block; plus 6 bits for
 * every symbol seen and 8 for every context, for the tables.
 *
 * <p>Floats: a layout that rotates the exponent into the top byte wins and the elements' top bits (signs) are
 * between 20% and 80% set. Weights are; 16-bit images, whose statistics drift within a block so that the
 * adaptive format may win, have them clear. Reusable, not thread-safe.
 */
final class LayoutChooser {
    private static final int PIECES = 16;
    private static final int PIECE = 4096;
    /** Nats per symbol seen in a context, beyond the first. */
    private static final double SPARSE_PENALTY = 2;

    /** v ln v for the small counts, which are most of them (a look-up is a tenth of a Math.log with C1). */
    private static final double[] XLOGX = new double[4096];

    static {
        for (int v = 1; v < XLOGX.length; v++) {
            XLOGX[v] = v * Math.log(v);
        }
    }

    private final int[] topCount = new int[RansModel.TOP_CTX * 256];
    private final int[] secCount = new int[256 * 256];
    private final boolean[] topTouched = new boolean[RansModel.TOP_CTX];
    private final boolean[] secTouched = new boolean[256];
    private final int[] ring = new int[32];
    /** Whether the counting runs in C ({@link NativeRans#countSample}; the same integers, 10 times quicker). */
    private final boolean useNative;
    private final double[] bits = new double[RansModel.LAYOUTS.length];
    private final double[] signs = new double[RansModel.LAYOUTS.length];
    private int best;

    LayoutChooser() {
        this(true);
    }

    LayoutChooser(boolean allowNative) {
        useNative = allowNative && NativeRans.AVAILABLE;
    }

    /** Estimates every layout on {@code src[off, off+len)}; returns the best one. */
    int[] choose(byte[] src, int off, int len) {
        best = 0;
        for (int l = 0; l < RansModel.LAYOUTS.length; l++) {
            bits[l] = estimate(src, off, len, l);
            if (bits[l] < bits[best]) {
                best = l;
            }
        }
        return RansModel.LAYOUTS[best];
    }

    /** After {@link #choose}: whether the block holds floats. */
    boolean floats() {
        return RansModel.LAYOUTS[best][1] != 0 && signs[best] >= 0.2 && signs[best] <= 0.8;
    }

    /** After {@link #choose}: the estimated coded bits of the block under layout number {@code l}. */
    double estimate(int l) {
        return bits[l];
    }

    private double estimate(byte[] src, int off, int len, int l) {
        int[] layout = RansModel.LAYOUTS[l];
        int s = layout[0];
        int e = len / s;
        if (e == 0) {
            return 0;
        }
        int pieces = len > PIECES * PIECE ? PIECES : 1;
        int piece = pieces == 1 ? len : PIECE;
        long sampled = (long) pieces * (piece / s);
        long signed = useNative ? NativeRans.countSample(src, off, len, layout, pieces, piece, topCount, secCount,
                topTouched, secTouched) : -1;
        if (signed < 0) {
            signed = 0;
            for (int k = 0; k < pieces; k++) {
                int at = pieces == 1 ? 0 : (int) ((long) (len - piece) * k / (pieces - 1)) & ~15;
                signed += count(src, off + at, piece / s, layout);
            }
        }
        signs[l] = (double) signed / sampled;
        double scale = (double) e / sampled;
        int nctx = layout[3] == 0 ? 256 : RansModel.TOP_CTX;
        double coded = cost(topCount, topTouched, nctx, scale) + (s >= 2 ? cost(secCount, secTouched, 256, scale) : 0);
        return coded + 8.0 * ((double) (s > 2 ? s - 2 : 0) * e + len - (long) e * s);
    }

    /** Counts e elements at p into the models (the window starts empty); returns how many had their top bit set. */
    private int count(byte[] src, int p, int e, int[] layout) {
        int s = layout[0];
        boolean rotate = layout[1] != 0;
        int expShift = layout[2];
        int wlog = layout[3];
        int wmask = (1 << wlog) - 1;
        int cshift = Math.max(wlog - 1, 0);
        int[] r = ring;
        java.util.Arrays.fill(r, 0);
        int sum = 0;
        int signed = 0;
        int[] tc = topCount;
        int[] sc = secCount;
        boolean[] tt = topTouched;
        boolean[] st = secTouched;
        for (int i = 0; i < e; i++, p += s) {
            int ctx = sum >>> cshift;
            int top;
            if (s == 1) {
                top = src[p] & 0xFF;
            } else {
                int hi = (src[p + s - 1] & 0xFF) << 8 | (src[p + s - 2] & 0xFF);
                signed += hi >>> 15;
                if (rotate) {
                    hi = ((hi << 1) | (hi >>> 15)) & 0xFFFF;
                }
                top = hi >>> 8;
                sc[hi]++;
                st[top] = true;
            }
            tc[ctx << 8 | top]++;
            tt[ctx] = true;
            int exp = top >>> expShift;
            int k = i & wmask;
            sum += exp - r[k];
            r[k] = exp;
        }
        return signed;
    }

    /** Bits of the touched contexts of {@code count} (see the class comment); clears them. */
    private static double cost(int[] count, boolean[] touched, int contexts, double scale) {
        double data = 0;
        double tables = 0;
        for (int c = 0; c < contexts; c++) {
            if (!touched[c]) {
                continue;
            }
            touched[c] = false;
            int base = c << 8;
            long total = 0;
            int used = 0;
            double h = 0;
            for (int k = 0; k < 256; k++) {
                int v = count[base + k];
                if (v != 0) {
                    total += v;
                    used++;
                    h -= v < XLOGX.length ? XLOGX[v] : v * Math.log(v);
                    count[base + k] = 0;
                }
            }
            data += h + total * Math.log(total) + SPARSE_PENALTY * (used - 1);
            tables += 6.0 * used + 8;
        }
        return data / Math.log(2) * scale + tables;
    }
}
