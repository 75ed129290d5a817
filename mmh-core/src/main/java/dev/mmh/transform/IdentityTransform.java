package dev.mmh.transform;

import dev.mmh.CorruptDataException;

/** Transform id 0: the block goes to the codec as it is. */
public final class IdentityTransform implements Transform {
    @Override
    public int id() {
        return Transforms.NONE;
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    public void validateParam(int param) {
        if (param != 0) {
            throw new IllegalArgumentException("none takes param 0, not " + param);
        }
    }

    @Override
    public long maxEncodedLength(int rawLen, int param) {
        return rawLen;
    }

    @Override
    public int encode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff) {
        validateParam(param);
        System.arraycopy(src, srcOff, dst, dstOff, srcLen);
        return srcLen;
    }

    @Override
    public void decode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        if (param != 0 || srcLen != rawLen) {
            throw Transforms.corrupt("none: param " + param + ", " + srcLen + " bytes for " + rawLen);
        }
        Transforms.checkRange(dst, dstOff, rawLen);
        System.arraycopy(src, srcOff, dst, dstOff, srcLen);
    }
}
