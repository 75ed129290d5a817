package dev.mmh.codec.bwt;

/**
 * The entropy stage after the BWT: move-to-front ranks, zero runs as lengths, every decision coded by the binary
 * range coder with adaptive probabilities (a fast and a slow estimate averaged) under contexts made from the two
 * previous tokens. One class codes both directions so the model cannot drift between encoder and decoder.
 * Not thread-safe; reusable.
 */
final class RankCoder {
    private static final int HIST = 16;
    private static final int FLAG = 0;
    private static final int R1 = FLAG + HIST;
    private static final int R2 = R1 + HIST;
    private static final int GROUP = R2 + HIST;
    private static final int TREE = GROUP + HIST * 8;
    private static final int RUN_GROUP = TREE + 8 * 256;
    private static final int RUN_BITS = RUN_GROUP + HIST * 32;
    private static final int SIZE = RUN_BITS + 32 * 32 * 2;

    private final int[] fast = new int[SIZE];
    private final int[] slow = new int[SIZE];
    private final RangeEncoder enc = new RangeEncoder();
    private final RangeDecoder dec = new RangeDecoder();
    private boolean encoding;

    private void resetModel() {
        java.util.Arrays.fill(fast, 1 << 15);
        java.util.Arrays.fill(slow, 1 << 15);
    }

    private int bit(int ctx, int b) {
        int p = (fast[ctx] + slow[ctx]) >>> 1;
        p = Math.max(64, Math.min(65536 - 64, p));
        if (encoding) {
            enc.encode(b, p);
        } else {
            b = dec.decode(p);
        }
        if (b != 0) {
            fast[ctx] += (65536 - fast[ctx]) >> 4;
            slow[ctx] += (65536 - slow[ctx]) >> 7;
        } else {
            fast[ctx] -= fast[ctx] >> 4;
            slow[ctx] -= slow[ctx] >> 7;
        }
        return b;
    }

    /** Encodes {@code src[off, off+n)} (a BWT output); returns the end position in {@code out}, or -1 if full. */
    int encode(byte[] src, int off, int n, byte[] out, int outPos, int outLimit) {
        encoding = true;
        resetModel();
        enc.reset(out, outPos, outLimit);
        byte[] mtf = identity();
        int hist = 0;
        int i = 0;
        boolean afterRun = false;
        while (i < n) {
            int x = src[off + i];
            if (mtf[0] == x) {
                int run = 1;
                while (i + run < n && src[off + i + run] == x) {
                    run++;
                }
                if (!afterRun) {
                    bit(FLAG + hist, 1);
                }
                codeRun(run, hist);
                i += run;
                hist = (hist << 2) & 0xC;
                afterRun = true;
                continue;
            }
            int r = 1;
            while (mtf[r] != x) {
                r++;
            }
            System.arraycopy(mtf, 0, mtf, 1, r);
            mtf[0] = (byte) x;
            if (!afterRun) {
                bit(FLAG + hist, 0);
            }
            codeRank(r, hist);
            hist = ((hist << 2) & 0xC) | Math.min(r, 3);
            afterRun = false;
            i++;
            if (enc.overflowed()) {
                return -1;
            }
        }
        int end = enc.finish();
        return enc.overflowed() ? -1 : end;
    }

    /** Decodes exactly {@code n} bytes into {@code dst[off, off+n)}; false if the input ran out early. */
    boolean decode(byte[] in, int inPos, int inEnd, byte[] dst, int off, int n) {
        encoding = false;
        resetModel();
        dec.reset(in, inPos, inEnd);
        byte[] mtf = identity();
        int hist = 0;
        int i = 0;
        boolean afterRun = false;
        while (i < n) {
            boolean run = !afterRun && bit(FLAG + hist, 0) == 1;
            if (run) {
                int len = codeRun(0, hist);
                if (len > n - i) {
                    return false;
                }
                java.util.Arrays.fill(dst, off + i, off + i + len, mtf[0]);
                i += len;
                hist = (hist << 2) & 0xC;
                afterRun = true;
            } else {
                int r = codeRank(0, hist);
                byte x = mtf[r];
                System.arraycopy(mtf, 0, mtf, 1, r);
                mtf[0] = x;
                dst[off + i++] = x;
                hist = ((hist << 2) & 0xC) | Math.min(r, 3);
                afterRun = false;
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

    /** Codes a rank 1..255 (the encoder passes it, the decoder gets it back). */
    private int codeRank(int r, int c) {
        if (bit(R1 + c, r == 1 ? 1 : 0) == 1) {
            return 1;
        }
        if (bit(R2 + c, r == 2 ? 1 : 0) == 1) {
            return 2;
        }
        int v = r - 2;
        int g = encoding ? 31 - Integer.numberOfLeadingZeros(v) : 0;
        int gg = 0;
        while (gg < 7 && bit(GROUP + c * 8 + gg, gg < g ? 1 : 0) == 1) {
            gg++;
        }
        int node = 1;
        for (int j = gg - 1; j >= 0; j--) {
            node = (node << 1) | bit(TREE + (gg << 8) + node, (v >>> j) & 1);
        }
        return Math.min(node + 2, 255);
    }

    /** Codes a run length 1..2^31-1 as an Elias-gamma code with adaptive bits. */
    private int codeRun(int len, int c) {
        int g = encoding ? 31 - Integer.numberOfLeadingZeros(len) : 0;
        int gg = 0;
        while (gg < 30 && bit(RUN_GROUP + c * 32 + gg, gg < g ? 1 : 0) == 1) {
            gg++;
        }
        int v = 1;
        for (int j = gg - 1; j >= 0; j--) {
            int ctx = RUN_BITS + (gg * 32 + j) * 2 + (j == gg - 1 ? 0 : 1);
            v = (v << 1) | bit(ctx, (len >>> j) & 1);
        }
        return v;
    }
}
