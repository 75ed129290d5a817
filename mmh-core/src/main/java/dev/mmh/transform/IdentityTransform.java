package dev.mmh.transform;

/** Transform id 0: the block goes to the codec as it is. Param must be 0. */
public final class IdentityTransform extends SameSizeTransform {
    @Override
    public int id() {
        return Transforms.NONE;
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    boolean valid(int param) {
        return param == 0;
    }

    @Override
    void forward(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    void inverse(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }
}
