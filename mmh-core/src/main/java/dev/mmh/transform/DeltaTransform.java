package dev.mmh.transform;

/**
 * Transform id 2: replaces each element by its difference to the element {@code stride} bytes before it, so
 * smooth samples (audio, images, sensor data) and fixed-size records become runs of small numbers.
 *
 * <p>Elements are 1, 2 or 4 bytes wide, little- or big-endian; arithmetic wraps modulo 2^(8*width). For records,
 * use width 1 and the record size as stride (each byte minus the same byte of the previous record). The first
 * {@code stride} bytes and a tail shorter than an element are copied unchanged. Output size = input size.
 *
 * <p>Param layout: bits 0..23 stride in bytes (1..65536, a multiple of the width), bits 24..25 log2 of the
 * width, bit 26 big-endian. Build it with {@link #param(int, int, boolean)}.
 */
public final class DeltaTransform extends SameSizeTransform {
    /** Largest stride (a record size) accepted. */
    public static final int MAX_STRIDE = 65536;
    private static final int BIG_ENDIAN = 1 << 26;

    /** The param for elements of {@code width} bytes (1, 2 or 4) at a distance of {@code stride} bytes. */
    public static int param(int width, int stride, boolean bigEndian) {
        int log = width == 1 ? 0 : width == 2 ? 1 : width == 4 ? 2 : -1;
        int p = stride | (log << 24) | (bigEndian ? BIG_ENDIAN : 0);
        if (log < 0 || !validParam(p)) {
            throw new IllegalArgumentException("delta needs width 1, 2 or 4 and a stride 1.." + MAX_STRIDE
                    + " that is a multiple of the width; got width " + width + ", stride " + stride);
        }
        return p;
    }

    private static boolean validParam(int p) {
        int stride = p & 0xFFFFFF;
        int log = (p >>> 24) & 3;
        return (p & ~(0xFFFFFF | (3 << 24) | BIG_ENDIAN)) == 0 && log != 3 && stride >= 1 && stride <= MAX_STRIDE
                && stride % (1 << log) == 0;
    }

    @Override
    public int id() {
        return Transforms.DELTA;
    }

    @Override
    public String name() {
        return "delta";
    }

    @Override
    boolean valid(int param) {
        return validParam(param);
    }

    @Override
    void forward(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param) {
        run(src, srcOff, dst, dstOff, n, param, true);
    }

    @Override
    void inverse(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param) {
        run(src, srcOff, dst, dstOff, n, param, false);
    }

    /** Forward: dst = x - prev(x); inverse: dst = x + prev(dst). "prev" always reads the raw (decoded) side. */
    private static void run(byte[] s, int so, byte[] d, int dOff, int n, int param, boolean forward) {
        int stride = param & 0xFFFFFF;
        int width = 1 << ((param >>> 24) & 3);
        boolean be = (param & BIG_ENDIAN) != 0;
        byte[] raw = forward ? s : d;
        int rawOff = forward ? so : dOff;
        int head = Math.min(stride, n);
        System.arraycopy(s, so, d, dOff, head);
        int i = head;
        if (width == 1) {
            if (forward) {
                for (; i < n; i++) {
                    d[dOff + i] = (byte) (s[so + i] - s[so + i - stride]);
                }
            } else {
                for (; i < n; i++) {
                    d[dOff + i] = (byte) (s[so + i] + d[dOff + i - stride]);
                }
            }
        } else {
            int sign = forward ? -1 : 1;
            for (; i + width <= n; i += width) {
                long prev = read(raw, rawOff + i - stride, width, be);
                long v = read(s, so + i, width, be) + sign * prev;
                write(d, dOff + i, width, be, v);
            }
        }
        // tail shorter than one element
        for (; i < n; i++) {
            d[dOff + i] = s[so + i];
        }
    }

    private static long read(byte[] a, int p, int w, boolean be) {
        long v = 0;
        for (int k = 0; k < w; k++) {
            int b = a[be ? p + k : p + w - 1 - k] & 0xFF;
            v = (v << 8) | b;
        }
        return v;
    }

    private static void write(byte[] a, int p, int w, boolean be, long v) {
        for (int k = 0; k < w; k++) {
            a[be ? p + w - 1 - k : p + k] = (byte) (v >>> (8 * k));
        }
    }
}
