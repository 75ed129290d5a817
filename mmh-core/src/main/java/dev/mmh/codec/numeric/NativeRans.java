package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import java.util.Objects;

/**
 * Block formats {@code 0x01} and {@code 0x03} of {@link NumericCodec} in C ({@code src/main/c/mmhnum.c}, built into
 * mmh-core's JNI library by Maven when gcc is there): the same bytes as the Java coders of {@link RansModel} and
 * {@link LanesModel}, encode and decode, one call per block. It exists for speed: the Java coders run at 50-250
 * MB/s, and the {@code mmh} launcher's C1-only JVM is no faster; format 03 decodes with AVX-512 where the CPU has
 * it. The C validates damaged input as the Java does; errors come back as codes and become the same {@link
 * CorruptDataException}s. Thread-safe (the C keeps its scratch memory per thread).
 */
final class NativeRans {
    /** Set to {@code false} to use the pure-Java coder (tests, benchmarks, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.numeric.native";

    /** mmh-core's one JNI library, which {@code dev.mmh.recovery.NativeLanes} loads too. */
    private static final String RESOURCE = dev.mmh.io.NativeLibraries.CORE;
    private static final String LOAD_ERROR = load();
    /** Whether the native coder is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;

    /** Results of the native calls (see mmhnum.c). */
    static final int TOO_SMALL = -1;
    static final int NO_MEMORY = -2;

    private NativeRans() {
    }

    /** Null when the native library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    private static String load() {
        return dev.mmh.io.NativeLibraries.load(NativeRans.class, RESOURCE, DISABLE_PROPERTY, () -> version() == 3);
    }

    /**
     * {@link RansModel#encode} ({@code format} 1) or {@link LanesModel#encode} (3) in C: the block size written at
     * {@code dst[o...]}, {@link #TOO_SMALL} if {@code dst[o, limit)} is too small, {@link #NO_MEMORY} if the C
     * could not get its scratch memory.
     */
    static int encode(int format, byte[] src, int off, int n, int[] layout, byte[] dst, int o, int limit) {
        Objects.checkFromIndexSize(off, n, src.length);
        Objects.checkFromToIndex(o, limit, dst.length);
        return encodeBlock(format, src, off, n, layout[0], layout[1], layout[2], layout[3], dst, o, limit);
    }

    /**
     * {@link RansModel#decode} or {@link LanesModel#decode} in C (by the block's first byte): returns false if the C could not get its scratch memory (the caller then
     * decodes in Java), else true once {@code dst[dstOff, dstOff+rawLen)} holds the block.
     *
     * @throws CorruptDataException as the Java decoder would
     */
    static boolean decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, rawLen, dst.length);
        int r = decodeBlock(src, srcOff, srcLen, dst, dstOff, rawLen);
        if (r == NO_MEMORY) {
            return false;
        }
        if (r != 0) {
            throw new CorruptDataException(message(r, rawLen), -1, -1);
        }
        return true;
    }

    /** The Java decoder's message for an error code of the C one. */
    static String message(int code, int rawLen) {
        switch (code) {
            case -3: return "numeric: unknown block format";
            case -4: return "numeric: bad element layout";
            case -5: return "numeric: block size disagrees with the expected " + rawLen;
            case -6: return "numeric header: truncated";
            case -7: return "numeric header: varint out of range";
            case -8: return "numeric: truncated frequency tables";
            case -9: return "numeric: section sizes disagree with the block size";
            case -10: return "numeric: frequency table sums past " + RansModel.M;
            case -11: return "numeric: frequency table does not sum to " + RansModel.M;
            case -12: return "numeric: damaged frequency tables";
            case -13: return "numeric: damaged coded data";
            default: return "numeric: native decoder error " + code;
        }
    }

    /**
     * {@link LayoutChooser}'s counts in C: format 01's two models (top byte under its context, 16-bit value) of
     * {@code pieces} pieces of {@code piece} bytes spread over {@code src[off, off+len)}, added to {@code top} and
     * {@code sec}, their contexts marked in the touched arrays; returns how many elements had their top bit set, or
     * {@link #NO_MEMORY}.
     */
    static int countSample(byte[] src, int off, int len, int[] layout, int pieces, int piece, int[] top, int[] sec,
            boolean[] topTouched, boolean[] secTouched) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (pieces < 1 || piece < 0 || piece > len || (pieces > 1 && piece * (long) pieces > len)
                || top.length < RansModel.TOP_CTX * 256 || sec.length < 256 * 256 || topTouched.length < RansModel.TOP_CTX
                || secTouched.length < 256) {
            throw new IllegalArgumentException("bad sample");
        }
        return countSample(src, off, len, layout[0], layout[1], layout[2], layout[3], pieces, piece, top, sec,
                topTouched, secTouched);
    }

    static native int version();

    private static native int countSample(byte[] src, int off, int len, int size, int rotate, int expShift, int wlog,
            int pieces, int piece, int[] top, int[] sec, boolean[] topTouched, boolean[] secTouched);

    /**
     * Whether format 03 runs the AVX-512 loops: {@code mode} 0 forces the scalar ones (tests, benchmarks), 1 picks
     * by the CPU again, 2 only asks. Process-wide.
     */
    static native int simd(int mode);

    /** {@code param}: format 01's window log, format 03's second-byte context shift. */
    private static native int encodeBlock(int format, byte[] src, int off, int n, int size, int rotate, int expShift,
            int param, byte[] dst, int o, int limit);

    private static native int decodeBlock(byte[] src, int off, int len, byte[] dst, int dstOff, int rawLen);
}
