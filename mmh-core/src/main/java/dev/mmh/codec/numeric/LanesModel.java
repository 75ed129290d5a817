package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.rc.AdaptiveBits;
import dev.mmh.codec.rc.RangeDecoder;
import dev.mmh.codec.rc.RangeEncoder;
import dev.mmh.codec.rc.Varints;
import java.util.Arrays;

/**
 * Block format {@code 0x03} of {@link NumericCodec}: format {@code 0x01}'s static model reshaped so that a decoder
 * can run 64 symbols at once (four AVX-512 vectors in {@link NativeRans}; this class is the reference coder and the
 * fallback). Differences from {@link RansModel}:
 * <ul>
 *   <li>Elements go in groups of 64. The top byte of every element of group {@code g} is coded under context
 *       {@code sum >> 5}, where {@code sum} adds {@code top >> x} over the 64 elements of group {@code g - 1} (0 for
 *       the first group): format 01's mean exponent of the last 32, over the previous group instead, so that a
 *       group's 64 top bytes do not wait for each other (format 01's context is a chain through every element).
 *       On the weight files the top bytes cost -0.01% to +0.1% (movenet) more.
 *   <li>The second byte is coded under {@code top >> y} (y in the header; the encoder takes a coarse exponent, see
 *       {@link #layoutFor}: float16 then needs about a dozen tables instead of 166, which makes the block 0.1-0.3% smaller
 *       and its tables several times quicker to read).
 *   <li>Two streams, top bytes and second bytes, each with 64 rANS states (element {@code 64g + k} coded by state
 *       {@code k}): 31-bit states in {@code [2^15, 2^31)}, 16-bit renormalisation, 12-bit probabilities.
 *   <li>A top context without a table is damage (the encoder gives every group's context one), not a flat table.
 * </ul>
 * Layout: {@code 03}, element size (2 or 4), flags (bit 0: rotate), {@code x | y << 4}, varint raw size, varint
 * table length, the tables (as format 01's with 512 top contexts; second-byte tables by {@code top >> y}), varint
 * top-stream length, the top stream (64 little-endian u32 final states, then the 16-bit words, little-endian),
 * varint second-stream length, the second stream, the lower planes (next-highest first), the tail.
 *
 * <p>Reusable, not thread-safe.
 */
final class LanesModel {
    static final int VERSION = 3;
    static final int LANES = 64;
    /** A group's context: the previous group's exponent sum shifted right by this. */
    private static final int GROUP_SHIFT = 5;
    private static final int M = RansModel.M;
    private static final int L = 1 << 15;
    private static final int TOP_CTX = RansModel.TOP_CTX;
    private static final int STATES = 4 * LANES;

    /** The native coder's scratch when this model codes through {@link NativeRans}; null for the Java coder. */
    private final NativeRans.Context context;

    // encoder state
    private final int[] topCount = new int[TOP_CTX * 256];
    private final int[] secCount = new int[256 * 256];
    private final int[] topFreq = new int[TOP_CTX * 256];
    private final int[] secFreq = new int[256 * 256];
    private final long[] topRcp = new long[TOP_CTX * 256];
    private final long[] secRcp = new long[256 * 256];
    private final int[] topPack = new int[TOP_CTX * 256];
    private final int[] secPack = new int[256 * 256];
    private short[] gctx = new short[0];
    private byte[] buf = new byte[0];
    private byte[] buf2 = new byte[0];
    private final AdaptiveBits bits = new AdaptiveBits(512);
    private final RangeEncoder renc = new RangeEncoder();
    private final RangeDecoder rdec = new RangeDecoder();

    // decoder state
    private int[] dtab = new int[0];
    private byte[] tops = new byte[0];
    private final int[] freqScratch = new int[256];

    /** A model that codes in C when the native library loaded, else in Java (tests: its context is Cleaner-freed). */
    LanesModel() {
        this(true);
    }

    /** A model that codes in C only if {@code allowNative} and the native library loaded (tests). */
    LanesModel(boolean allowNative) {
        this(allowNative && NativeRans.AVAILABLE ? new NativeRans.Context() : null);
    }

    /**
     * A model that codes in C in {@code context}'s native scratch, which its owner (a compressor or decompressor,
     * whose models share it) closes; in Java when {@code context} is null.
     */
    LanesModel(NativeRans.Context context) {
        this.context = NativeRans.AVAILABLE ? context : null;
    }

    /**
     * This format's layout for format 01's {@code layout} (element size, rotate, exponent shift, window log): the
     * second byte under the exponent without its last two bits (8-bit exponents: float32, bfloat16) or its last bit
     * (5-bit: float16, exponent shift 3). Against the full exponent: ±0.02% in size, half to a quarter of the
     * second-byte tables, which are most of a block's table reading (flat tables of 256 symbols, 6-9 µs each).
     */
    static int[] layoutFor(int[] ransLayout) {
        int x = ransLayout[2];
        return new int[] {ransLayout[0], ransLayout[1], x, x == 0 ? 2 : x + 1};
    }

    /** Whether this format can code a format-01 layout: elements of 2 or 4 bytes under the window of 32. */
    static boolean fits(int[] ransLayout) {
        return ransLayout[0] >= 2 && ransLayout[3] == 5;
    }

    /**
     * Codes {@code src[off, off+n)} with {@code layout} (element size 2 or 4, rotate, exponent shift x, second-byte
     * context shift y); returns the block size written, or -1 if {@code dst[o, limit)} is too small.
     */
    int encode(byte[] src, int off, int n, int[] layout, byte[] dst, int o, int limit) {
        if (context != null) {
            int r = NativeRans.encode(context, VERSION, src, off, n, layout, dst, o, limit);
            if (r != NativeRans.NO_MEMORY) {
                return r;
            }
        }
        return encodeJava(src, off, n, layout, dst, o, limit);
    }

    private static int hi16(byte[] src, int p, int s, boolean rotate) {
        int hi = (src[p + s - 1] & 0xFF) << 8 | (src[p + s - 2] & 0xFF);
        return rotate ? ((hi << 1) | (hi >>> 15)) & 0xFFFF : hi;
    }

    /** {@link #encode} in Java. */
    int encodeJava(byte[] src, int off, int n, int[] layout, byte[] dst, int o, int limit) {
        int s = layout[0];
        boolean rotate = layout[1] != 0;
        int xs = layout[2];
        int ys = layout[3];
        int e = n / s;
        int start = o;
        if (limit - o < 32) {
            return -1;
        }
        int groups = (e + LANES - 1) / LANES;
        if (gctx.length < groups) {
            gctx = new short[groups];
        }
        Arrays.fill(topCount, 0);
        Arrays.fill(secCount, 0);
        int sum = 0;
        for (int g = 0, p = off; g < groups; g++) {
            int row = (sum >>> GROUP_SHIFT) << 8;
            gctx[g] = (short) (sum >>> GROUP_SHIFT);
            int cnt = Math.min(LANES, e - g * LANES);
            int gs = 0;
            for (int k = 0; k < cnt; k++, p += s) {
                int hi = hi16(src, p, s, rotate);
                int top = hi >>> 8;
                topCount[row | top]++;
                secCount[(top >>> ys) << 8 | (hi & 0xFF)]++;
                gs += top >>> xs;
            }
            sum = gs;
        }
        boolean[] present = new boolean[TOP_CTX];
        boolean[] used = new boolean[256];
        for (int c = 0; c < TOP_CTX; c++) {
            present[c] = RansModel.normalise(topCount, topFreq, c << 8);
            if (present[c]) {
                RansModel.encoderTable(topFreq, topRcp, topPack, c << 8);
                for (int k = 0; k < 256; k++) {
                    used[k] |= topFreq[c << 8 | k] != 0;
                }
            }
        }
        boolean[] secUsed = new boolean[256];
        for (int k = 0; k < 256; k++) {
            secUsed[k >>> ys] |= used[k];
        }
        for (int t = 0; t < 256; t++) {
            if (secUsed[t]) {
                if (!RansModel.normalise(secCount, secFreq, t << 8)) {
                    Arrays.fill(secFreq, t << 8, (t << 8) + 256, M / 256);
                }
                RansModel.encoderTable(secFreq, secRcp, secPack, t << 8);
            }
        }
        dst[o++] = VERSION;
        dst[o++] = (byte) s;
        dst[o++] = (byte) layout[1];
        dst[o++] = (byte) (xs | ys << 4);
        o = Varints.put(dst, o, n);

        // tables, range coded
        int raw = (s - 2) * e + n - e * s;
        o = RansModel.writeTables(bits, renc, dst, o, limit, raw, present, TOP_CTX, topFreq, secUsed, secFreq);
        if (o < 0) {
            return -1;
        }

        // both streams backwards: top bytes into buf, second bytes into buf2 (at most a word a symbol each)
        int cap = 2 * e + 64;
        if (buf.length < cap) {
            buf = new byte[cap];
            buf2 = new byte[cap];
        }
        int[] tx = new int[LANES];
        int[] sx = new int[LANES];
        Arrays.fill(tx, L);
        Arrays.fill(sx, L);
        int tp = cap;
        int sp = cap;
        byte[] tb = buf;
        byte[] sb = buf2;
        for (int i = e - 1; i >= 0; i--) {
            int hi = hi16(src, off + i * s, s, rotate);
            int top = hi >>> 8;
            int k = i & (LANES - 1);
            // one encoding step per stream: a 16-bit word out if the state is too large for the symbol
            int si = (top >>> ys) << 8 | (hi & 0xFF);
            int x = sx[k];
            int pk = secPack[si];
            int cmpl = (pk >>> 12) & 0xFFF;
            if ((x >>> 19) >= M - cmpl) {
                sp -= 2;
                sb[sp] = (byte) x;
                sb[sp + 1] = (byte) (x >>> 8);
                x >>>= 16;
            }
            sx[k] = x + (pk & 0xFFF) + (int) ((x * secRcp[si]) >>> (pk >>> 24)) * cmpl;
            int ti = gctx[i / LANES] << 8 | top;
            x = tx[k];
            pk = topPack[ti];
            cmpl = (pk >>> 12) & 0xFFF;
            if ((x >>> 19) >= M - cmpl) {
                tp -= 2;
                tb[tp] = (byte) x;
                tb[tp + 1] = (byte) (x >>> 8);
                x >>>= 16;
            }
            tx[k] = x + (pk & 0xFFF) + (int) ((x * topRcp[ti]) >>> (pk >>> 24)) * cmpl;
        }
        int topBody = cap - tp;
        int secBody = cap - sp;
        int topLen = STATES + topBody;
        int secLen = STATES + secBody;
        if ((long) o + 5 + topLen + 5 + secLen + raw > limit) {
            return -1;
        }
        o = Varints.put(dst, o, topLen);
        for (int k = 0; k < LANES; k++, o += 4) {
            RansModel.putInt(dst, o, tx[k]);
        }
        System.arraycopy(buf, tp, dst, o, topBody);
        o += topBody;
        o = Varints.put(dst, o, secLen);
        for (int k = 0; k < LANES; k++, o += 4) {
            RansModel.putInt(dst, o, sx[k]);
        }
        System.arraycopy(buf2, sp, dst, o, secBody);
        o += secBody;
        if (s == 4) {
            for (int i = 0, p = off; i < e; i++, p += 4) {
                dst[o + i] = src[p + 1];
                dst[o + e + i] = src[p];
            }
            o += 2 * e;
        }
        System.arraycopy(src, off + e * s, dst, o, n - e * s);
        return o + n - e * s - start;
    }

    void decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        // the C decodes by the block's first byte: a block of another format gets this format's error in Java
        if (context == null || srcLen < 1 || src[srcOff] != VERSION
                || !NativeRans.decode(context, src, srcOff, srcLen, dst, dstOff, rawLen)) {
            decodeJava(src, srcOff, srcLen, dst, dstOff, rawLen);
        }
    }

    /** {@link #decode} in Java. */
    void decodeJava(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        int end = srcOff + srcLen;
        if (srcLen < 5 || src[srcOff] != VERSION) {
            throw corrupt("numeric: unknown block format");
        }
        int s = src[srcOff + 1];
        int flags = src[srcOff + 2];
        int xs = src[srcOff + 3] & 0x0F;
        int ys = (src[srcOff + 3] & 0xFF) >>> 4;
        if ((s != 2 && s != 4) || (flags & ~1) != 0 || xs > 7 || ys > 7) {
            throw corrupt("numeric: bad element layout");
        }
        boolean rotate = flags != 0;
        int[] pos = {srcOff + 4};
        if (Varints.get(src, pos, end, "numeric header") != rawLen) {
            throw corrupt("numeric: block size disagrees with the expected " + rawLen);
        }
        int tabLen = Varints.get(src, pos, end, "numeric header");
        if (tabLen > end - pos[0]) {
            throw corrupt("numeric: truncated frequency tables");
        }
        int tabAt = pos[0];
        pos[0] += tabLen;
        int topLen = Varints.get(src, pos, end, "numeric header");
        if (topLen < STATES || (topLen & 1) != 0 || topLen > end - pos[0]) {
            throw corrupt("numeric: section sizes disagree with the block size");
        }
        int topAt = pos[0];
        pos[0] += topLen;
        int secLen = Varints.get(src, pos, end, "numeric header");
        int e = rawLen / s;
        long raw = (long) (s - 2) * e + rawLen - (long) e * s;
        if (secLen < STATES || (secLen & 1) != 0 || secLen > end - pos[0] || end - pos[0] - secLen != raw) {
            throw corrupt("numeric: section sizes disagree with the block size");
        }
        int secAt = pos[0];
        int planes = secAt + secLen;

        // tables: top ones by context (-1: none), second-byte ones by top >> ys
        bits.reset();
        rdec.reset(src, tabAt, tabAt + tabLen);
        boolean[] secUsed = new boolean[256];
        int[] topOff = new int[TOP_CTX];
        int[] secOff = new int[256];
        int tables = 0;
        int[] f = freqScratch;
        int prev = 0;
        for (int c = 0; c < TOP_CTX; c++) {
            int present = bits.decode(rdec, prev);
            prev = present;
            topOff[c] = -1;
            if (present == 0) {
                continue;
            }
            RansModel.readFreqs(bits, rdec, f);
            for (int k = 0; k < 256; k++) {
                secUsed[k >>> ys] |= f[k] != 0;
            }
            ensureTables(tables + 1);
            RansModel.decoderTable(f, dtab, tables * M);
            topOff[c] = tables * M;
            tables++;
            if (rdec.exhausted()) {
                throw corrupt("numeric: damaged frequency tables");
            }
        }
        for (int t = 0; t < 256; t++) {
            if (secUsed[t]) {
                RansModel.readFreqs(bits, rdec, f);
                ensureTables(tables + 1);
                RansModel.decoderTable(f, dtab, tables * M);
                secOff[t] = tables * M;
                tables++;
                if (rdec.exhausted()) {
                    throw corrupt("numeric: damaged frequency tables");
                }
            }
        }
        if (rdec.exhausted()) {
            throw corrupt("numeric: damaged frequency tables");
        }

        int[] tab = dtab;
        int[] x = new int[LANES];
        int p = open(src, topAt, x);
        int[] y = new int[LANES];
        int q = open(src, secAt, y);
        if (tops.length < e) {
            tops = new byte[e];
        }
        byte[] tp = tops;
        int topEnd = topAt + topLen;
        int sum = 0;
        for (int i = 0; i < e; ) {
            int t = topOff[sum >>> GROUP_SHIFT];
            if (t < 0) {
                throw corrupt("numeric: damaged coded data");
            }
            int cnt = Math.min(LANES, e - i);
            int gs = 0;
            for (int k = 0; k < cnt; k++, i++) {
                int v = x[k];
                int ent = tab[t + (v & (M - 1))];
                v = (((ent >>> 8) & 0xFFF) + 1) * (v >>> RansModel.PROB_BITS) + (ent >>> 20);
                if (v < L) {
                    if (topEnd - p < 2) {
                        throw corrupt("numeric: damaged coded data");
                    }
                    v = v << 16 | (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8;
                    p += 2;
                }
                x[k] = v;
                tp[i] = (byte) ent;
                gs += (ent & 0xFF) >>> xs;
            }
            sum = gs;
        }
        close(x, p, topEnd);
        int secEnd = secAt + secLen;
        for (int i = 0, o = dstOff; i < e; i++, o += s) {
            int top = tp[i] & 0xFF;
            int k = i & (LANES - 1);
            int v = y[k];
            int ent = tab[secOff[top >>> ys] + (v & (M - 1))];
            v = (((ent >>> 8) & 0xFFF) + 1) * (v >>> RansModel.PROB_BITS) + (ent >>> 20);
            if (v < L) {
                if (secEnd - q < 2) {
                    throw corrupt("numeric: damaged coded data");
                }
                v = v << 16 | (src[q] & 0xFF) | (src[q + 1] & 0xFF) << 8;
                q += 2;
            }
            y[k] = v;
            int hi = top << 8 | (ent & 0xFF);
            if (rotate) {
                hi = (hi >>> 1) | (hi << 15);
            }
            dst[o + s - 1] = (byte) (hi >>> 8);
            dst[o + s - 2] = (byte) hi;
            if (s == 4) {
                dst[o + 1] = src[planes + i];
                dst[o] = src[planes + e + i];
            }
        }
        close(y, q, secEnd);
        System.arraycopy(src, planes + (s - 2) * e, dst, dstOff + e * s, rawLen - e * s);
    }

    /** Reads a stream's 64 states at {@code at} into {@code x}; returns where its words start. */
    private static int open(byte[] src, int at, int[] x) throws CorruptDataException {
        for (int k = 0; k < LANES; k++) {
            x[k] = RansModel.getInt(src, at + 4 * k);
            if (x[k] < L) { // also negative: at least 2^31
                throw corrupt("numeric: damaged coded data");
            }
        }
        return at + STATES;
    }

    /** A stream must end used up exactly, every state back at L. */
    private static void close(int[] x, int p, int end) throws CorruptDataException {
        if (p != end) {
            throw corrupt("numeric: damaged coded data");
        }
        for (int v : x) {
            if (v != L) {
                throw corrupt("numeric: damaged coded data");
            }
        }
    }

    private void ensureTables(int n) {
        long need = (long) n * M;
        if (dtab.length < need) {
            dtab = Arrays.copyOf(dtab, (int) Math.max(need, Math.min(2L * dtab.length, 800L * M)));
        }
    }

    private static CorruptDataException corrupt(String why) {
        return new CorruptDataException(why, -1, -1);
    }
}
