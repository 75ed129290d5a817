package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.rc.AdaptiveBits;
import dev.mmh.codec.rc.RangeDecoder;
import dev.mmh.codec.rc.RangeEncoder;
import dev.mmh.codec.rc.Varints;

/**
 * Block format {@code 0x00} of {@link NumericCodec}: the adaptive bit-by-bit model. Slow (about 10-40 MB/s) but
 * better than the static model on data whose statistics drift within a block, such as 16-bit image samples.
 * Reusable, not thread-safe.
 */
final class AdaptiveModel {
    private static final int SECOND = 1 << 16;
    private final AdaptiveBits bits = new AdaptiveBits(2 << 16);
    private final RangeEncoder enc = new RangeEncoder();
    private final RangeDecoder dec = new RangeDecoder();

    /** Returns the block size written, or -1 if {@code dst[o, limit)} is too small. */
    int encode(byte[] src, int off, int n, int[] layout, byte[] dst, int o, int limit) {
        int s = layout[0];
        boolean rotate = layout[1] != 0;
        int mask = layout[2];
        int e = n / s;
        int start = o;
        if (limit - o < 24) {
            return -1;
        }
        dst[o++] = 0;
        dst[o++] = (byte) s;
        dst[o++] = (byte) layout[1];
        dst[o++] = (byte) mask;
        o = Varints.put(dst, o, n);
        int data = o + 5;
        int raw = s > 2 ? (s - 2) * e : 0;
        raw += n - e * s;
        bits.reset();
        enc.reset(dst, data, limit - raw);
        int prevTop = 0;
        for (int i = 0, p = off; i < e; i++, p += s) {
            int top = src[p + s - 1] & 0xFF;
            int second = 0;
            if (s >= 2) {
                int hi = top << 8 | (src[p + s - 2] & 0xFF);
                if (rotate) {
                    hi = ((hi << 1) | (hi >>> 15)) & 0xFFFF;
                }
                top = hi >>> 8;
                second = hi & 0xFF;
            }
            codeByte(((prevTop & mask) << 8), top, true);
            if (s >= 2) {
                codeByte(SECOND + (top << 8), second, true);
            }
            prevTop = top;
            if ((i & 0xFFF) == 0 && enc.overflowed()) {
                return -1;
            }
        }
        int end = enc.finish();
        if (enc.overflowed()) {
            return -1;
        }
        int len = end - data;
        int at = Varints.put(dst, o, len);
        System.arraycopy(dst, data, dst, at, len);
        o = at + len;
        for (int k = s - 3; k >= 0; k--) {
            for (int i = 0, p = off + k; i < e; i++, p += s) {
                dst[o++] = src[p];
            }
        }
        System.arraycopy(src, off + e * s, dst, o, n - e * s);
        return o + n - e * s - start;
    }

    /** Codes one byte MSB first down a tree of contexts {@code base + node}; returns the byte. */
    private int codeByte(int base, int value, boolean encoding) {
        int node = 1;
        if (encoding) {
            for (int j = 7; j >= 0; j--) {
                node = (node << 1) | bits.encode(enc, base + node, (value >>> j) & 1);
            }
        } else {
            for (int j = 7; j >= 0; j--) {
                node = (node << 1) | bits.decode(dec, base + node);
            }
        }
        return node & 0xFF;
    }

    void decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        int[] pos = {srcOff};
        int end = srcOff + srcLen;
        if (srcLen < 5 || src[srcOff] != 0) {
            throw corrupt("numeric: unknown block format");
        }
        int s = src[srcOff + 1];
        int flags = src[srcOff + 2];
        int mask = src[srcOff + 3] & 0xFF;
        if ((s != 1 && s != 2 && s != 4) || (flags & ~1) != 0) {
            throw corrupt("numeric: bad element layout");
        }
        pos[0] = srcOff + 4;
        if (Varints.get(src, pos, end, "numeric header") != rawLen) {
            throw corrupt("numeric: block size disagrees with the expected " + rawLen);
        }
        int len = Varints.get(src, pos, end, "numeric header");
        int e = rawLen / s;
        long raw = (s > 2 ? (long) (s - 2) * e : 0) + rawLen - (long) e * s;
        if (len > end - pos[0] || end - pos[0] - len != raw) {
            throw corrupt("numeric: section sizes disagree with the block size");
        }
        bits.reset();
        dec.reset(src, pos[0], pos[0] + len);
        boolean rotate = flags != 0;
        int prevTop = 0;
        for (int i = 0, p = dstOff; i < e; i++, p += s) {
            int top = codeByte((prevTop & mask) << 8, 0, false);
            prevTop = top;
            if (s >= 2) {
                int hi = top << 8 | codeByte(SECOND + (top << 8), 0, false);
                if (rotate) {
                    hi = ((hi >>> 1) | (hi << 15)) & 0xFFFF;
                }
                dst[p + s - 1] = (byte) (hi >>> 8);
                dst[p + s - 2] = (byte) hi;
            } else {
                dst[p] = (byte) top;
            }
            if ((i & 0xFFF) == 0 && dec.exhausted()) {
                throw corrupt("numeric: damaged coded data");
            }
        }
        if (dec.exhausted()) {
            throw corrupt("numeric: damaged coded data");
        }
        int in = pos[0] + len;
        for (int k = s - 3; k >= 0; k--) {
            for (int i = 0, p = dstOff + k; i < e; i++, p += s) {
                dst[p] = src[in++];
            }
        }
        System.arraycopy(src, in, dst, dstOff + e * s, rawLen - e * s);
    }

    private static CorruptDataException corrupt(String why) {
        return new CorruptDataException(why, -1, -1);
    }
}
