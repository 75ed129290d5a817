package dev.mmh.transform;

/**
 * Transform id 3: splits little-endian elements of 2, 4 or 8 bytes into byte planes, most significant plane
 * first, so the codec sees the sign/exponent bytes of floats together and the noisy mantissa bytes together
 * (ZipNN's byte grouping). With {@code rotate}, the top 16 bits of each element are rotated left by one bit first,
 * which moves the sign to the bottom of the second plane and puts the whole 8-bit exponent of float32 and
 * bfloat16 into the first plane.
 *
 * <p>A tail shorter than one element is copied unchanged after the planes. Output size = input size.
 * Param layout: bits 0..7 element size (2, 4 or 8), bit 8 rotate. Build it with {@link #param(int, boolean)}.
 */
public final class BytePlanesTransform extends SameSizeTransform {
    private static final int ROTATE = 1 << 8;

    /** The param for elements of {@code size} bytes (2, 4 or 8), with or without the sign rotation. */
    public static int param(int size, boolean rotate) {
        int p = size | (rotate ? ROTATE : 0);
        if (!validParam(p)) {
            throw new IllegalArgumentException("byte planes need an element size of 2, 4 or 8, not " + size);
        }
        return p;
    }

    private static boolean validParam(int p) {
        int size = p & 0xFF;
        return (p & ~(0xFF | ROTATE)) == 0 && (size == 2 || size == 4 || size == 8);
    }

    @Override
    public int id() {
        return Transforms.PLANES;
    }

    @Override
    public String name() {
        return "planes";
    }

    @Override
    boolean valid(int param) {
        return validParam(param);
    }

    @Override
    void forward(byte[] src, int srcOff, byte[] dst, int dstOff, int srcLen, int param) {
        int size = param & 0xFF;
        boolean rotate = (param & ROTATE) != 0;
        int n = srcLen / size;
        if (size == 4 && rotate) {
            for (int e = 0, p = srcOff; e < n; e++, p += 4) {
                int hi = ((src[p + 3] & 0xFF) << 8) | (src[p + 2] & 0xFF);
                hi = ((hi << 1) | (hi >>> 15)) & 0xFFFF;
                dst[dstOff + e] = (byte) (hi >>> 8);
                dst[dstOff + n + e] = (byte) hi;
                dst[dstOff + 2 * n + e] = src[p + 1];
                dst[dstOff + 3 * n + e] = src[p];
            }
        } else {
            for (int k = 0; k < size; k++) {
                int plane = dstOff + k * n;
                int b = srcOff + size - 1 - k;
                for (int e = 0; e < n; e++) {
                    dst[plane + e] = src[b + e * size];
                }
            }
            if (rotate) {
                for (int e = 0; e < n; e++) {
                    int hi = ((dst[dstOff + e] & 0xFF) << 8) | (dst[dstOff + n + e] & 0xFF);
                    hi = ((hi << 1) | (hi >>> 15)) & 0xFFFF;
                    dst[dstOff + e] = (byte) (hi >>> 8);
                    dst[dstOff + n + e] = (byte) hi;
                }
            }
        }
        System.arraycopy(src, srcOff + n * size, dst, dstOff + n * size, srcLen - n * size);
    }

    @Override
    void inverse(byte[] src, int srcOff, byte[] dst, int dstOff, int rawLen, int param) {
        int size = param & 0xFF;
        boolean rotate = (param & ROTATE) != 0;
        int n = rawLen / size;
        if (size == 4) {
            for (int e = 0, p = dstOff; e < n; e++, p += 4) {
                int hi = ((src[srcOff + e] & 0xFF) << 8) | (src[srcOff + n + e] & 0xFF);
                if (rotate) {
                    hi = ((hi >>> 1) | (hi << 15)) & 0xFFFF;
                }
                dst[p + 3] = (byte) (hi >>> 8);
                dst[p + 2] = (byte) hi;
                dst[p + 1] = src[srcOff + 2 * n + e];
                dst[p] = src[srcOff + 3 * n + e];
            }
        } else {
            for (int k = 0; k < size; k++) {
                int plane = srcOff + k * n;
                int b = dstOff + size - 1 - k;
                for (int e = 0; e < n; e++) {
                    dst[b + e * size] = src[plane + e];
                }
            }
            if (rotate) {
                for (int e = 0, p = dstOff + size - 2; e < n; e++, p += size) {
                    int hi = ((dst[p + 1] & 0xFF) << 8) | (dst[p] & 0xFF);
                    hi = ((hi >>> 1) | (hi << 15)) & 0xFFFF;
                    dst[p + 1] = (byte) (hi >>> 8);
                    dst[p] = (byte) hi;
                }
            }
        }
        System.arraycopy(src, srcOff + n * size, dst, dstOff + n * size, rawLen - n * size);
    }
}
