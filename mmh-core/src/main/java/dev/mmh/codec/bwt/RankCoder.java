package dev.mmh.codec.bwt;

import dev.mmh.codec.rc.AdaptiveBits;
import dev.mmh.codec.rc.RangeDecoder;
import dev.mmh.codec.rc.RangeEncoder;

/**
 * The entropy stage after the BWT: move-to-front ranks, with runs of rank 0 as lengths. Each token is a class
 * (a run, rank 1, rank 2, or a power-of-two range of ranks) coded as four binary decisions down a tree, then the
 * bits that select within the class. Every decision goes through the binary range coder with an adaptive
 * probability (a fast and a slow estimate averaged) under a context made from the two previous tokens' classes.
 * Fixed-length trees instead of unary codes keep the decoder's branches predictable.
 *
 * <p>One class codes both directions so the model cannot drift between encoder and decoder. Not thread-safe;
 * reusable.
 */
final class RankCoder {
    private static final int HIST = 16;
    private static final int RUN = 0;
    private static final int CLASS_TREE = 0;
    private static final int RANK_BITS = CLASS_TREE + HIST * 16;
    private static final int RUN_TREE = RANK_BITS + 16 * 256;
    private static final int RUN_BITS = RUN_TREE + HIST * 32;
    private static final int SIZE = RUN_BITS + 32 * 32 * 2;

    private final AdaptiveBits model = new AdaptiveBits(SIZE);
    private final RangeEncoder enc = new RangeEncoder();
    private final RangeDecoder dec = new RangeDecoder();
    private boolean encoding;

    private int bit(int ctx, int b) {
        return encoding ? model.encode(enc, ctx, b) : model.decode(dec, ctx);
    }

    /** {@code bits} bits of {@code v}, high first, down a binary tree of contexts from {@code base}. */
    private int tree(int base, int bits, int v) {
        int node = 1;
        for (int j = bits - 1; j >= 0; j--) {
            node = (node << 1) | bit(base + node, (v >>> j) & 1);
        }
        return node - (1 << bits);
    }

    /** Class of a rank: 1 and 2 alone, then 3-4, 5-8, ... 129-255 (classes 3..9). */
    private static int classOf(int rank) {
        return rank <= 2 ? rank : 33 - Integer.numberOfLeadingZeros(rank - 1);
    }

    /** Codes one token: a run of {@code run} zeros if {@code run > 0}, else {@code rank}. Returns {run, rank}. */
    private long token(int hist, int run, int rank) {
        int cls = tree(CLASS_TREE + hist * 16, 4, run > 0 ? RUN : classOf(rank));
        if (cls == RUN) {
            int g = tree(RUN_TREE + hist * 32, 5, encoding ? 31 - Integer.numberOfLeadingZeros(run) : 0);
            int v = 1;
            for (int j = g - 1; j >= 0; j--) {
                v = (v << 1) | bit(RUN_BITS + (g * 32 + j) * 2 + (j == g - 1 ? 0 : 1), (run >>> j) & 1);
            }
            return (long) v << 32;
        }
        if (cls <= 2) {
            return cls;
        }
        // classes 3..9 hold ranks 2^(cls-2)+1 .. 2^(cls-1); a damaged stream may name classes 10..15: cap them
        int bits = Math.min(cls, 9) - 2;
        int low = tree(RANK_BITS + (cls << 8), bits, rank - (1 << bits) - 1);
        return Math.min(255, (1 << bits) + 1 + low);
    }

    private static int hist(int hist, int cls) {
        return ((hist << 2) & 0xC) | Math.min(cls, 3);
    }

    /** Encodes {@code src[off, off+n)} (a BWT output); returns the end position in {@code out}, or -1 if full. */
    int encode(byte[] src, int off, int n, byte[] out, int outPos, int outLimit) {
        encoding = true;
        model.reset();
        enc.reset(out, outPos, outLimit);
        byte[] mtf = identity();
        int hist = 0;
        int i = 0;
        while (i < n) {
            byte x = src[off + i];
            if (mtf[0] == x) {
                int run = 1;
                while (i + run < n && src[off + i + run] == x) {
                    run++;
                }
                token(hist, run, 0);
                i += run;
                hist = hist(hist, RUN);
                continue;
            }
            int r = 1;
            while (mtf[r] != x) {
                r++;
            }
            System.arraycopy(mtf, 0, mtf, 1, r);
            mtf[0] = x;
            token(hist, 0, r);
            hist = hist(hist, classOf(r));
            i++;
            if (enc.overflowed()) {
                return -1;
            }
        }
        int end = enc.finish();
        return enc.overflowed() ? -1 : end;
    }

    /** Decodes exactly {@code n} bytes into {@code dst[off, off+n)}; false if the input is damaged. */
    boolean decode(byte[] in, int inPos, int inEnd, byte[] dst, int off, int n) {
        encoding = false;
        model.reset();
        dec.reset(in, inPos, inEnd);
        byte[] mtf = identity();
        int hist = 0;
        int i = 0;
        while (i < n) {
            long t = token(hist, 0, 0);
            int run = (int) (t >>> 32);
            if (run > 0) {
                if (run > n - i) {
                    return false;
                }
                java.util.Arrays.fill(dst, off + i, off + i + run, mtf[0]);
                i += run;
                hist = hist(hist, RUN);
            } else {
                int r = (int) t;
                byte x = mtf[r];
                for (int k = r; k > 0; k--) {
                    mtf[k] = mtf[k - 1];
                }
                mtf[0] = x;
                dst[off + i++] = x;
                hist = hist(hist, classOf(r));
            }
            if (dec.exhausted()) {
                return false;
            }
        }
        return true;
    }

    private static byte[] identity() {
        byte[] m = new byte[256];
        for (int k = 0; k < 256; k++) {
            m[k] = (byte) k;
        }
        return m;
    }
}
