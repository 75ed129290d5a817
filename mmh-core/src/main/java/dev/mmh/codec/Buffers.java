package dev.mmh.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Adapts array-based block calls to {@link ByteBuffer}s, copying only when a buffer has no array. */
final class Buffers {
    private Buffers() {
    }

    @FunctionalInterface
    interface ArrayCall {
        int apply(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws IOException;
    }

    static int viaArrays(ByteBuffer src, ByteBuffer dst, ArrayCall call) throws IOException {
        byte[] s;
        int so;
        int sl = src.remaining();
        if (src.hasArray()) {
            s = src.array();
            so = src.arrayOffset() + src.position();
        } else {
            s = new byte[sl];
            src.duplicate().get(s);
            so = 0;
        }
        int dl = dst.remaining();
        int n;
        if (dst.hasArray()) {
            n = call.apply(s, so, sl, dst.array(), dst.arrayOffset() + dst.position(), dl);
        } else {
            byte[] d = new byte[dl];
            n = call.apply(s, so, sl, d, 0, dl);
            dst.duplicate().put(d, 0, n);
        }
        src.position(src.position() + sl);
        dst.position(dst.position() + n);
        return n;
    }
}
