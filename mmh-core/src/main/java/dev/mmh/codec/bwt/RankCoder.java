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
 * <p>The encoder walks the model through the shared {@link AdaptiveBits}/{@link RangeEncoder} path; the decoder
 * is the same model written out as one loop with the coder state and the probabilities in local variables,
 * because the launcher runs C1 only, which does not inline the per-decision calls, and decoding spends nearly all
 * its time in those decisions. The two must stay in step: the round-trip tests and the golden bwt archive check
 * that they do. Not thread-safe; reusable.
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
    /** The decoder's copy of {@link AdaptiveBits}: fast estimate at 2*ctx, slow at 2*ctx+1, same update rule. */
    private final int[] decodeProb = new int[2 * SIZE];

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

    /**
     * Decodes exactly {@code n} bytes into {@code dst[off, off+n)}; false if the input is damaged.
     *
     * <p>The same model as {@link #token}, written out as one loop with the range coder's state and the
     * probabilities in local variables: the launcher runs the JVM with C1 only, which does not inline the
     * per-decision calls of the shared path, and decoding spends nearly all its time in those decisions.
     */
    boolean decode(byte[] in, int inPos, int inEnd, byte[] dst, int off, int n) {
        return decode(in, inPos, inEnd, dst, off, n, new int[256]);
    }

    /**
     * As {@link #decode(byte[], int, int, byte[], int, int)}, and counts the decoded bytes into {@code count[256]}
     * (one addition per token rather than per byte, which the inverse BWT would otherwise spend a pass on).
     */
    boolean decode(byte[] in, int inPos, int inEnd, byte[] dst, int off, int n, int[] count) {
        java.util.Arrays.fill(count, 0);
        int[] prob = decodeProb;
        java.util.Arrays.fill(prob, 1 << 15);
        byte[] mtf = identity();
        int pos = inPos;
        int overrun = 0;
        long range = 0xFFFFFFFFL;
        long code = 0;
        for (int k = 0; k < 5; k++) {
            int b = 0;
            if (pos < inEnd) {
                b = in[pos++] & 0xFF;
            } else {
                overrun++;
            }
            code = ((code << 8) | b) & 0xFFFFFFFFL;
        }
        int hist = 0;
        int i = off;
        int stop = off + n;
        while (i < stop) {
            // the class: 4 decisions down the tree of this history
            int node = 1;
            int base = (CLASS_TREE + hist * 16) << 1;
            do {
                int c = base + (node << 1);
                int p0 = prob[c];
                int p1 = prob[c + 1];
                long bound = (range >>> 16) * ((p0 + p1) >>> 1);
                if (code < bound) {
                    range = bound;
                    prob[c] = p0 + ((65504 - p0) >> 4);
                    prob[c + 1] = p1 + ((65504 - p1) >> 7);
                    node = (node << 1) | 1;
                } else {
                    code -= bound;
                    range -= bound;
                    prob[c] = p0 + ((32 - p0) >> 4);
                    prob[c + 1] = p1 + ((32 - p1) >> 7);
                    node <<= 1;
                }
                if (range < (1L << 24)) {
                    int b = 0;
                    if (pos < inEnd) {
                        b = in[pos++] & 0xFF;
                    } else {
                        overrun++;
                    }
                    range <<= 8;
                    code = ((code << 8) | b) & 0xFFFFFFFFL;
                    if (range < (1L << 24)) {
                        b = 0;
                        if (pos < inEnd) {
                            b = in[pos++] & 0xFF;
                        } else {
                            overrun++;
                        }
                        range <<= 8;
                        code = ((code << 8) | b) & 0xFFFFFFFFL;
                    }
                }
            } while (node < 16);
            int cls = node - 16;
            if (cls == RUN) {
                // Elias gamma: the exponent down a 5-decision tree, then the bits below the leading one
                node = 1;
                base = (RUN_TREE + hist * 32) << 1;
                do {
                    int c = base + (node << 1);
                    int p0 = prob[c];
                    int p1 = prob[c + 1];
                    long bound = (range >>> 16) * ((p0 + p1) >>> 1);
                    if (code < bound) {
                        range = bound;
                        prob[c] = p0 + ((65504 - p0) >> 4);
                        prob[c + 1] = p1 + ((65504 - p1) >> 7);
                        node = (node << 1) | 1;
                    } else {
                        code -= bound;
                        range -= bound;
                        prob[c] = p0 + ((32 - p0) >> 4);
                        prob[c + 1] = p1 + ((32 - p1) >> 7);
                        node <<= 1;
                    }
                    if (range < (1L << 24)) {
                        int b = 0;
                        if (pos < inEnd) {
                            b = in[pos++] & 0xFF;
                        } else {
                            overrun++;
                        }
                        range <<= 8;
                        code = ((code << 8) | b) & 0xFFFFFFFFL;
                        if (range < (1L << 24)) {
                            b = 0;
                            if (pos < inEnd) {
                                b = in[pos++] & 0xFF;
                            } else {
                                overrun++;
                            }
                            range <<= 8;
                            code = ((code << 8) | b) & 0xFFFFFFFFL;
                        }
                    }
                } while (node < 32);
                int g = node - 32;
                int run = 1;
                for (int j = g - 1; j >= 0; j--) {
                    int c = (RUN_BITS + (g * 32 + j) * 2 + (j == g - 1 ? 0 : 1)) << 1;
                    int p0 = prob[c];
                    int p1 = prob[c + 1];
                    long bound = (range >>> 16) * ((p0 + p1) >>> 1);
                    if (code < bound) {
                        range = bound;
                        prob[c] = p0 + ((65504 - p0) >> 4);
                        prob[c + 1] = p1 + ((65504 - p1) >> 7);
                        run = (run << 1) | 1;
                    } else {
                        code -= bound;
                        range -= bound;
                        prob[c] = p0 + ((32 - p0) >> 4);
                        prob[c + 1] = p1 + ((32 - p1) >> 7);
                        run <<= 1;
                    }
                    if (range < (1L << 24)) {
                        int b = 0;
                        if (pos < inEnd) {
                            b = in[pos++] & 0xFF;
                        } else {
                            overrun++;
                        }
                        range <<= 8;
                        code = ((code << 8) | b) & 0xFFFFFFFFL;
                        if (range < (1L << 24)) {
                            b = 0;
                            if (pos < inEnd) {
                                b = in[pos++] & 0xFF;
                            } else {
                                overrun++;
                            }
                            range <<= 8;
                            code = ((code << 8) | b) & 0xFFFFFFFFL;
                        }
                    }
                }
                if (run <= 0 || run > stop - i) {
                    return false;
                }
                byte x = mtf[0];
                count[x & 0xFF] += run;
                for (int e = i + run; i < e; i++) {
                    dst[i] = x;
                }
                hist = ((hist << 2) & 0xC) | RUN;
            } else {
                int r = cls;
                if (cls > 2) {
                    // classes 3..9 hold ranks 2^(cls-2)+1 .. 2^(cls-1); a damaged stream may name 10..15: cap them
                    int bits = Math.min(cls, 9) - 2;
                    base = (RANK_BITS + (cls << 8)) << 1;
                    int top = 1 << bits;
                    node = 1;
                    do {
                        int c = base + (node << 1);
                        int p0 = prob[c];
                        int p1 = prob[c + 1];
                        long bound = (range >>> 16) * ((p0 + p1) >>> 1);
                        if (code < bound) {
                            range = bound;
                            prob[c] = p0 + ((65504 - p0) >> 4);
                            prob[c + 1] = p1 + ((65504 - p1) >> 7);
                            node = (node << 1) | 1;
                        } else {
                            code -= bound;
                            range -= bound;
                            prob[c] = p0 + ((32 - p0) >> 4);
                            prob[c + 1] = p1 + ((32 - p1) >> 7);
                            node <<= 1;
                        }
                        if (range < (1L << 24)) {
                            int b = 0;
                            if (pos < inEnd) {
                                b = in[pos++] & 0xFF;
                            } else {
                                overrun++;
                            }
                            range <<= 8;
                            code = ((code << 8) | b) & 0xFFFFFFFFL;
                            if (range < (1L << 24)) {
                                b = 0;
                                if (pos < inEnd) {
                                    b = in[pos++] & 0xFF;
                                } else {
                                    overrun++;
                                }
                                range <<= 8;
                                code = ((code << 8) | b) & 0xFFFFFFFFL;
                            }
                        }
                    } while (node < top);
                    r = Math.min(255, node + 1);
                    cls = 3;
                }
                byte x = mtf[r];
                if (r < 16) {
                    for (int k = r; k > 0; k--) {
                        mtf[k] = mtf[k - 1];
                    }
                } else {
                    System.arraycopy(mtf, 0, mtf, 1, r);
                }
                mtf[0] = x;
                count[x & 0xFF]++;
                dst[i++] = x;
                hist = ((hist << 2) & 0xC) | cls;
            }
            if (overrun > 4) {
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
