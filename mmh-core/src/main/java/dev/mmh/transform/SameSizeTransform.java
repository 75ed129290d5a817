package dev.mmh.transform;

import dev.mmh.CorruptDataException;

/** Base of the transforms whose output has exactly the input's size: the argument and length checks live here. */
abstract class SameSizeTransform implements Transform {
    /** Whether {@code param} is a valid parameter. */
    abstract boolean valid(int param);

    /** Transforms {@code n} bytes; {@code param} is valid and both ranges are inside their arrays. */
    abstract void forward(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param);

    /** Inverts {@link #forward} under the same guarantees. */
    abstract void inverse(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param);

    @Override
    public final void validateParam(int param) {
        if (!valid(param)) {
            throw new IllegalArgumentException("invalid " + name() + " param 0x" + Integer.toHexString(param));
        }
    }

    @Override
    public final long maxEncodedLength(int rawLen, int param) {
        return rawLen;
    }

    @Override
    public final int encode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff) {
        validateParam(param);
        Transforms.checkRange(src, srcOff, srcLen);
        Transforms.checkRange(dst, dstOff, srcLen);
        forward(src, srcOff, dst, dstOff, srcLen, param);
        return srcLen;
    }

    @Override
    public final void decode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        if (!valid(param)) {
            throw Transforms.corrupt(name() + ": invalid param 0x" + Integer.toHexString(param));
        }
        if (srcLen != rawLen) {
            throw Transforms.corrupt(name() + " block holds " + srcLen + " bytes, expected " + rawLen);
        }
        Transforms.checkRange(src, srcOff, srcLen);
        Transforms.checkRange(dst, dstOff, rawLen);
        inverse(src, srcOff, dst, dstOff, rawLen, param);
    }
}
