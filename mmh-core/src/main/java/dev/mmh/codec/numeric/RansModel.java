package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.rc.AdaptiveBits;
import dev.mmh.codec.rc.RangeDecoder;
import dev.mmh.codec.rc.RangeEncoder;
import dev.mmh.codec.rc.Varints;

/**
 * Block format {@code 0x01} of {@link NumericCodec}: a static model per block coded with four interleaved rANS
 * states. The top byte of each element is coded under a context made from the exponents of the elements before
 * it (their mean over a window of 32, or the previous one alone), the second byte under the top byte. Frequency
 * tables are counted over the whole block, normalised to {@value #M}, and sent compactly ahead of the data.
 *
 * <p>rANS: 31-bit states kept in {@code [L, 256·L)} with {@code L = 2^23}, byte-wise renormalisation, element
 * {@code i} coded by state {@code i mod 4} so the decoder runs four independent dependency chains. The encoder
 * divides through exact reciprocals (a 31-bit state times a 32-bit reciprocal fits a {@code long}). Decoding is one
 * table look-up per symbol: entry = symbol | (frequency − 1) &lt;&lt; 8 | (slot − start) &lt;&lt; 20.
 *
 * <p>Reusable (tables and buffers grow and are kept), not thread-safe.
 */
final class RansModel {
    static final int VERSION = 1;
    static final int PROB_BITS = 12;
    static final int M = 1 << PROB_BITS;
    private static final int L = 1 << 23;
    /** Largest rANS scratch buffer (the C coder has the same limit, so both give up on the same blocks). */
    static final long MAX_BUFFER = Integer.MAX_VALUE - 16;
    /** Top-byte contexts: a 32-element window of exponents summed and shifted by 4 stays below 512. */
    static final int TOP_CTX = 512;
    private static final int WINDOW_LOG_MAX = 5;

    /** Candidate layouts: element size, rotate, exponent shift, window log2 (0: the previous element). */
    static final int[][] LAYOUTS = {{4, 1, 0, 5}, {2, 1, 0, 5}, {2, 1, 3, 5}, {2, 0, 0, 0}, {1, 0, 0, 0}};

    // encoder state
    private int[] topCount = new int[TOP_CTX * 256];
    private int[] secCount = new int[256 * 256];
    private final int[] topFreq = new int[TOP_CTX * 256];
    private final int[] secFreq = new int[256 * 256];
    private final long[] topRcp = new long[TOP_CTX * 256];
    private final long[] secRcp = new long[256 * 256];
    private final int[] topPack = new int[TOP_CTX * 256];
    private final int[] secPack = new int[256 * 256];
    private byte[] tops = new byte[0];
    private byte[] secs = new byte[0];
    private short[] ctxs = new short[0];
    private byte[] buf = new byte[0];
    private final AdaptiveBits bits = new AdaptiveBits(512);
    private final RangeEncoder renc = new RangeEncoder();
    private final RangeDecoder rdec = new RangeDecoder();

    /** The native coder's scratch when this model codes through {@link NativeRans}; null for the Java coder. */
    private final NativeRans.Context context;

    // decoder state
    private int[] dtab = new int[0];
    private final int[] topBase = new int[TOP_CTX];
    private final int[] secBase = new int[256];
    private final int[] freqScratch = new int[256];

    /** A model that codes in C when the native library loaded, else in Java (tests: its context is Cleaner-freed). */
    RansModel() {
        this(true);
    }

    /** A model that codes in C only if {@code allowNative} and the native library loaded (tests). */
    RansModel(boolean allowNative) {
        this(allowNative && NativeRans.AVAILABLE ? new NativeRans.Context() : null);
    }

    /**
     * A model that codes in C in {@code context}'s native scratch, which its owner (a compressor or decompressor,
     * whose models share it) closes; in Java when {@code context} is null.
     */
    RansModel(NativeRans.Context context) {
        this.context = NativeRans.AVAILABLE ? context : null;
    }

    /** Number of top-byte contexts a layout uses. */
    private static int topContexts(int wlog) {
        return wlog == 0 ? 256 : TOP_CTX;
    }

    /** Pass 1: splits the elements, computes contexts and counts both models (and keeps the symbols if asked). */
    private void count(byte[] src, int off, int e, int[] layout, boolean keep) {
        int s = layout[0];
        boolean rotate = layout[1] != 0;
        int expShift = layout[2];
        int wlog = layout[3];
        int wmask = (1 << wlog) - 1;
        int cshift = Math.max(wlog - 1, 0);
        java.util.Arrays.fill(topCount, 0, topContexts(wlog) * 256, 0);
        if (s >= 2) {
            java.util.Arrays.fill(secCount, 0);
        }
        if (keep && tops.length < e) {
            tops = new byte[e];
            secs = new byte[e];
            ctxs = new short[e];
        }
        int[] ring = new int[1 << WINDOW_LOG_MAX];
        int sum = 0;
        int[] tc = topCount;
        int[] sc = secCount;
        for (int i = 0, p = off; i < e; i++, p += s) {
            int ctx = sum >>> cshift;
            int top;
            if (s == 1) {
                top = src[p] & 0xFF;
            } else {
                int hi = (src[p + s - 1] & 0xFF) << 8 | (src[p + s - 2] & 0xFF);
                if (rotate) {
                    hi = ((hi << 1) | (hi >>> 15)) & 0xFFFF;
                }
                top = hi >>> 8;
                int sec = hi & 0xFF;
                sc[top << 8 | sec]++;
                if (keep) {
                    secs[i] = (byte) sec;
                }
            }
            tc[ctx << 8 | top]++;
            if (keep) {
                tops[i] = (byte) top;
                ctxs[i] = (short) ctx;
            }
            int exp = top >>> expShift;
            int r = i & wmask;
            sum += exp - ring[r];
            ring[r] = exp;
        }
    }

    /**
     * Scales {@code count[base, base+256)} to frequencies summing to {@link #M}, each symbol seen getting at
     * least 1; returns false when the context was never seen (frequencies all 0).
     */
    static boolean normalise(int[] count, int[] freq, int base) {
        long total = 0;
        int max = -1;
        for (int k = 0; k < 256; k++) {
            int v = count[base + k];
            total += v;
            if (v != 0 && (max < 0 || v > count[base + max])) {
                max = k;
            }
        }
        if (total == 0) {
            java.util.Arrays.fill(freq, base, base + 256, 0);
            return false;
        }
        int sum = 0;
        for (int k = 0; k < 256; k++) {
            int v = count[base + k];
            int f = v == 0 ? 0 : (int) Math.max(1, (v * (long) M) / total);
            freq[base + k] = f;
            sum += f;
        }
        // give the rounding remainder to (or take the excess from) the largest symbols
        int diff = M - sum;
        if (diff >= 0) {
            freq[base + max] += diff;
        } else {
            while (diff < 0) {
                int big = -1;
                for (int k = 0; k < 256; k++) {
                    if (big < 0 || freq[base + k] > freq[base + big]) {
                        big = k;
                    }
                }
                int take = Math.min(-diff, Math.max(1, freq[base + big] / 4));
                freq[base + big] -= take;
                diff += take;
            }
        }
        return true;
    }

    /** Encoder tables for one context: reciprocal in {@code rcp}, start | cmpl << 12 | shift << 24 in {@code pack}. */
    static void encoderTable(int[] freq, long[] rcp, int[] pack, int base) {
        int start = 0;
        for (int k = 0; k < 256; k++) {
            int f = freq[base + k];
            if (f == 0) {
                continue;
            }
            int shift = 31 + (32 - Integer.numberOfLeadingZeros(f - 1)); // 31 + ceil(log2 f)
            long r = ((1L << shift) + f - 1) / f;
            rcp[base + k] = r;
            pack[base + k] = start | (M - f) << 12 | shift << 24;
            start += f;
        }
    }

    /** Returns the block size written, or -1 if {@code dst[o, limit)} is too small. */
    int encode(byte[] src, int off, int n, int[] layout, byte[] dst, int o, int limit) {
        if (context != null) {
            int r = NativeRans.encode(context, VERSION, src, off, n, layout, dst, o, limit);
            if (r != NativeRans.NO_MEMORY) {
                return r;
            }
        }
        return encodeJava(src, off, n, layout, dst, o, limit);
    }

    /** {@link #encode} in Java. */
    int encodeJava(byte[] src, int off, int n, int[] layout, byte[] dst, int o, int limit) {
        int s = layout[0];
        int wlog = layout[3];
        int e = n / s;
        int start = o;
        if (limit - o < 32) {
            return -1;
        }
        count(src, off, e, layout, true);
        int nctx = topContexts(wlog);
        boolean[] secUsed = new boolean[256];
        boolean[] present = new boolean[nctx];
        for (int c = 0; c < nctx; c++) {
            present[c] = normalise(topCount, topFreq, c << 8);
            if (present[c]) {
                encoderTable(topFreq, topRcp, topPack, c << 8);
                for (int k = 0; k < 256; k++) {
                    secUsed[k] |= topFreq[c << 8 | k] != 0;
                }
            }
        }
        if (s >= 2) {
            for (int t = 0; t < 256; t++) {
                if (secUsed[t]) {
                    // a top byte can have a frequency yet no element when its context was rounded up; give it
                    // a flat table so the decoder's view (a table for every top byte with a frequency) holds
                    if (!normalise(secCount, secFreq, t << 8)) {
                        java.util.Arrays.fill(secFreq, t << 8, (t << 8) + 256, M / 256);
                    }
                    encoderTable(secFreq, secRcp, secPack, t << 8);
                }
            }
        }
        dst[o++] = VERSION;
        dst[o++] = (byte) s;
        dst[o++] = (byte) layout[1];
        dst[o++] = (byte) (layout[2] | layout[3] << 4);
        o = Varints.put(dst, o, n);

        // tables, range coded
        int raw = (s > 2 ? (s - 2) * e : 0) + n - e * s;
        o = writeTables(bits, renc, dst, o, limit, raw, present, nctx, topFreq, s >= 2 ? secUsed : null, secFreq);
        if (o < 0) {
            return -1;
        }

        // rANS data: encoded backwards into buf, then copied after the four final states
        int nsym = s >= 2 ? 2 * e : e;
        if (2L * nsym + 64 > MAX_BUFFER) {
            return -1; // a block of 1 GiB of bytes or 16-bit values: no array holds 2 bytes a symbol
        }
        int cap = 2 * nsym + 64;
        if (buf.length < cap) {
            buf = new byte[cap];
        }
        byte[] b = buf;
        int bp = cap;
        int[] xs = {L, L, L, L};
        byte[] tp = tops;
        byte[] sp = secs;
        short[] cp = ctxs;
        long[] tr = topRcp;
        int[] tk = topPack;
        long[] sr = secRcp;
        int[] sk = secPack;
        boolean two = s >= 2;
        for (int i = e - 1; i >= 0; i--) {
            int x = xs[i & 3];
            int top = tp[i] & 0xFF;
            if (two) {
                int k = top << 8 | (sp[i] & 0xFF);
                int pk = sk[k];
                int cmpl = (pk >>> 12) & 0xFFF;
                int xm1 = ((M - cmpl) << 19) - 1;
                while (x > xm1) {
                    b[--bp] = (byte) x;
                    x >>>= 8;
                }
                int q = (int) ((x * sr[k]) >>> (pk >>> 24));
                x += (pk & 0xFFF) + q * cmpl;
            }
            int k = cp[i] << 8 | top;
            int pk = tk[k];
            int cmpl = (pk >>> 12) & 0xFFF;
            int xm1 = ((M - cmpl) << 19) - 1;
            while (x > xm1) {
                b[--bp] = (byte) x;
                x >>>= 8;
            }
            int q = (int) ((x * tr[k]) >>> (pk >>> 24));
            x += (pk & 0xFFF) + q * cmpl;
            xs[i & 3] = x;
        }
        int dataLen = 16 + cap - bp;
        long need = (long) o + 5 + dataLen + raw;
        if (need > limit) {
            return -1;
        }
        o = Varints.put(dst, o, dataLen);
        for (int j = 0; j < 4; j++) {
            putInt(dst, o, xs[j]);
            o += 4;
        }
        System.arraycopy(b, bp, dst, o, cap - bp);
        o += cap - bp;
        for (int k = s - 3; k >= 0; k--) {
            for (int i = 0, p = off + k; i < e; i++, p += s) {
                dst[o++] = src[p];
            }
        }
        System.arraycopy(src, off + e * s, dst, o, n - e * s);
        return o + n - e * s - start;
    }

    static void putInt(byte[] d, int o, int v) {
        d[o] = (byte) v;
        d[o + 1] = (byte) (v >>> 8);
        d[o + 2] = (byte) (v >>> 16);
        d[o + 3] = (byte) (v >>> 24);
    }

    static int getInt(byte[] d, int o) {
        return (d[o] & 0xFF) | (d[o + 1] & 0xFF) << 8 | (d[o + 2] & 0xFF) << 16 | (d[o + 3] & 0xFF) << 24;
    }

    // Frequency tables: per symbol a "zero" bit; a non-zero frequency f as f-1 in Elias-gamma form (the bit
    // length in unary, then the bits below the leading one), with adaptive contexts from the previous symbol's
    // length. Symbols after the running sum reaches M are implied zero.

    private static int ctxZero(int prevLen) {
        return 2 + prevLen; // prevLen: 0 for a zero frequency, else 1 + bit length of f-1 (1..13): 2..15
    }

    private static int ctxUnary(int prevLen, int k) {
        return 16 + prevLen * 14 + k; // 16..16+13*14+13 = 211
    }

    private static int ctxMantissa(int len, int j) {
        return 224 + len * 13 + j; // 224..224+12*13+12 = 392
    }

    /** Writes the table {@code freq[base, base+256)}. */
    /**
     * Writes the frequency tables at {@code o}, as formats 01 and 03 store them: a varint length, then range-coded
     * a presence bit and a table for each of the {@code nctx} top contexts, then a table for each second-byte
     * context marked in {@code secUsed} ({@code null}: none). {@code reserve} bytes stay free before {@code limit}.
     *
     * @return the offset after the tables, or -1 if they do not fit
     */
    static int writeTables(AdaptiveBits bits, RangeEncoder renc, byte[] dst, int o, int limit, int reserve,
            boolean[] present, int nctx, int[] topFreq, boolean[] secUsed, int[] secFreq) {
        int tabAt = o + 5; // room for the varint length, moved up once the length is known
        if (tabAt >= limit) {
            return -1;
        }
        bits.reset();
        renc.reset(dst, tabAt, limit - reserve);
        int prev = 0;
        for (int c = 0; c < nctx; c++) {
            bits.encode(renc, prev, present[c] ? 1 : 0);
            prev = present[c] ? 1 : 0;
            if (present[c]) {
                writeFreqs(bits, renc, topFreq, c << 8);
            }
        }
        if (secUsed != null) {
            for (int t = 0; t < 256; t++) {
                if (secUsed[t]) {
                    writeFreqs(bits, renc, secFreq, t << 8);
                }
            }
        }
        int tabEnd = renc.finish();
        if (renc.overflowed()) {
            return -1;
        }
        int tabLen = tabEnd - tabAt;
        int at = Varints.put(dst, o, tabLen);
        System.arraycopy(dst, tabAt, dst, at, tabLen);
        return at + tabLen;
    }

    static void writeFreqs(AdaptiveBits bits, RangeEncoder renc, int[] freq, int base) {
        int sum = 0;
        int prevLen = 0;
        for (int k = 0; k < 256 && sum < M; k++) {
            int f = freq[base + k];
            bits.encode(renc, ctxZero(prevLen), f == 0 ? 1 : 0);
            if (f == 0) {
                prevLen = 0;
                continue;
            }
            int v = f - 1;
            int len = 32 - Integer.numberOfLeadingZeros(v); // 0..12
            for (int u = 0; u < len; u++) {
                bits.encode(renc, ctxUnary(prevLen, u), 1);
            }
            if (len < 12) {
                bits.encode(renc, ctxUnary(prevLen, len), 0);
            }
            for (int j = len - 2; j >= 0; j--) {
                bits.encode(renc, ctxMantissa(len, j), (v >>> j) & 1);
            }
            sum += f;
            prevLen = len + 1;
        }
    }

    /** Reads one table into {@code freq}; checks the frequencies sum to exactly {@link #M}. */
    static void readFreqs(AdaptiveBits bits, RangeDecoder rdec, int[] freq) throws CorruptDataException {
        int sum = 0;
        int prevLen = 0;
        java.util.Arrays.fill(freq, 0);
        for (int k = 0; k < 256 && sum < M; k++) {
            if (bits.decode(rdec, ctxZero(prevLen)) != 0) {
                prevLen = 0;
                continue;
            }
            int len = 0;
            while (len < 12 && bits.decode(rdec, ctxUnary(prevLen, len)) != 0) {
                len++;
            }
            int v = len == 0 ? 0 : 1;
            for (int j = len - 2; j >= 0; j--) {
                v = v << 1 | bits.decode(rdec, ctxMantissa(len, j));
            }
            int f = v + 1;
            if (f > M - sum) {
                throw corrupt("numeric: frequency table sums past " + M);
            }
            freq[k] = f;
            sum += f;
            prevLen = len + 1;
        }
        if (sum != M) {
            throw corrupt("numeric: frequency table does not sum to " + M);
        }
    }

    /** Fills a decode table of {@link #M} entries at {@code at} from {@code freq}. */
    static void decoderTable(int[] freq, int[] tab, int at) {
        int start = 0;
        for (int k = 0; k < 256; k++) {
            int f = freq[k];
            if (f == 0) {
                continue;
            }
            int e = k | (f - 1) << 8;
            for (int j = 0; j < f; j++) {
                tab[at + start + j] = e | j << 20;
            }
            start += f;
        }
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
        int expShift = src[srcOff + 3] & 0x0F;
        int wlog = (src[srcOff + 3] & 0xFF) >>> 4;
        if ((s != 1 && s != 2 && s != 4) || (flags & ~1) != 0 || expShift > 7 || wlog > WINDOW_LOG_MAX) {
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
        int dataLen = Varints.get(src, pos, end, "numeric header");
        int e = rawLen / s;
        long raw = (s > 2 ? (long) (s - 2) * e : 0) + rawLen - (long) e * s;
        if (dataLen < 16 || dataLen > end - pos[0] || end - pos[0] - dataLen != raw) {
            throw corrupt("numeric: section sizes disagree with the block size");
        }
        int nctx = topContexts(wlog);

        // tables: slot 0 is a flat table for contexts that have none (reachable only in damaged data, which
        // then decodes to garbage that the final state check rejects)
        bits.reset();
        rdec.reset(src, tabAt, tabAt + tabLen);
        boolean[] secUsed = new boolean[256];
        int tables = 1;
        int[] f = freqScratch;
        int prev = 0;
        ensureTables(1);
        java.util.Arrays.fill(f, M / 256);
        decoderTable(f, dtab, 0);
        for (int c = 0; c < nctx; c++) {
            int present = bits.decode(rdec, prev);
            prev = present;
            if (present == 0) {
                topBase[c] = 0;
                continue;
            }
            readFreqs(bits, rdec, f);
            for (int k = 0; k < 256; k++) {
                secUsed[k] |= f[k] != 0;
            }
            ensureTables(tables + 1);
            decoderTable(f, dtab, tables * M);
            topBase[c] = tables * M;
            tables++;
            if (rdec.exhausted()) {
                throw corrupt("numeric: damaged frequency tables");
            }
        }
        for (int t = 0; t < 256; t++) {
            secBase[t] = 0;
            if (s >= 2 && secUsed[t]) {
                readFreqs(bits, rdec, f);
                ensureTables(tables + 1);
                decoderTable(f, dtab, tables * M);
                secBase[t] = tables * M;
                tables++;
                if (rdec.exhausted()) {
                    throw corrupt("numeric: damaged frequency tables");
                }
            }
        }
        if (rdec.exhausted()) {
            throw corrupt("numeric: damaged frequency tables");
        }

        int p = pos[0];
        int dataEnd = p + dataLen;
        int x0 = getInt(src, p);
        int x1 = getInt(src, p + 4);
        int x2 = getInt(src, p + 8);
        int x3 = getInt(src, p + 12);
        p += 16;
        if (x0 < L || x1 < L || x2 < L || x3 < L) {
            throw corrupt("numeric: damaged coded data");
        }
        int rawAt = dataEnd;
        int[] tab = dtab;
        int[] tb = topBase;
        int[] sb = secBase;
        int[] ring = new int[1 << WINDOW_LOG_MAX];
        int wmask = (1 << wlog) - 1;
        int cshift = Math.max(wlog - 1, 0);
        int sum = 0;
        for (int i = 0, q = dstOff; i < e; i++, q += s) {
            int x = x0;
            int ent = tab[tb[sum >>> cshift] + (x & (M - 1))];
            int top = ent & 0xFF;
            x = (((ent >>> 8) & 0xFFF) + 1) * (x >>> PROB_BITS) + (ent >>> 20);
            if (x < L) {
                if (p >= dataEnd) {
                    throw corrupt("numeric: damaged coded data");
                }
                x = x << 8 | (src[p++] & 0xFF);
                if (x < L) {
                    if (p >= dataEnd) {
                        throw corrupt("numeric: damaged coded data");
                    }
                    x = x << 8 | (src[p++] & 0xFF);
                }
            }
            int exp = top >>> expShift;
            int r = i & wmask;
            sum += exp - ring[r];
            ring[r] = exp;
            if (s == 1) {
                dst[q] = (byte) top;
            } else {
                ent = tab[sb[top] + (x & (M - 1))];
                x = (((ent >>> 8) & 0xFFF) + 1) * (x >>> PROB_BITS) + (ent >>> 20);
                if (x < L) {
                    if (p >= dataEnd) {
                        throw corrupt("numeric: damaged coded data");
                    }
                    x = x << 8 | (src[p++] & 0xFF);
                    if (x < L) {
                        if (p >= dataEnd) {
                            throw corrupt("numeric: damaged coded data");
                        }
                        x = x << 8 | (src[p++] & 0xFF);
                    }
                }
                int hi = top << 8 | (ent & 0xFF);
                if (rotate) {
                    hi = (hi >>> 1) | (hi << 15);
                }
                dst[q + s - 1] = (byte) (hi >>> 8);
                dst[q + s - 2] = (byte) hi;
                if (s == 4) {
                    dst[q + 1] = src[rawAt + i];
                    dst[q] = src[rawAt + e + i];
                }
            }
            x0 = x1;
            x1 = x2;
            x2 = x3;
            x3 = x;
        }
        if (p != dataEnd || x0 != L || x1 != L || x2 != L || x3 != L) {
            throw corrupt("numeric: damaged coded data");
        }
        int in = rawAt + (s > 2 ? (s - 2) * e : 0);
        System.arraycopy(src, in, dst, dstOff + e * s, rawLen - e * s);
    }

    private void ensureTables(int n) {
        long need = (long) n * M;
        if (dtab.length < need) {
            dtab = java.util.Arrays.copyOf(dtab, (int) Math.max(need, Math.min(2L * dtab.length, 800L * M)));
        }
    }

    private static CorruptDataException corrupt(String why) {
        return new CorruptDataException(why, -1, -1);
    }
}
