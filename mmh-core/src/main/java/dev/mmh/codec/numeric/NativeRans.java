package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import dev.mmh.io.NativeHandle;
import java.util.Objects;

/**
 * Block formats {@code 0x01} and {@code 0x03} of {@link NumericCodec} in C ({@code src/main/c/mmhnum.c}, built into
 * mmh-core's JNI library by Maven when gcc is there): the same bytes as the Java coders of {@link RansModel} and
 * {@link LanesModel}, encode and decode, one call per block. It exists for speed: the Java coders run at 50-250
 * MB/s, and the {@code mmh} launcher's C1-only JVM is no faster; format 03 decodes with AVX-512 where the CPU has
 * it. The C validates damaged input as the Java does; errors come back as codes and become the same {@link
 * CorruptDataException}s.
 *
 * <p>The C works in the scratch memory of a {@link Context} (frequency and decoder tables, the encoder's output:
 * up to about 20 MB plus twice the block), one per compressor or decompressor, allocated at its first native call
 * and freed by its {@code close()}. It reaches the Java arrays a slice of 1 MiB at a time, so no call holds up the
 * garbage collector for a whole block. Arguments are checked here before every call (and again in C). Static
 * methods are thread-safe; a context serves one call at a time.
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
        return dev.mmh.io.NativeLibraries.load(NativeRans.class, RESOURCE, DISABLE_PROPERTY, () -> version() == 4);
    }

    /**
     * The native scratch of one compressor or decompressor (shared by its models): opened at the first native
     * call, freed by {@link #close()} (or the Cleaner if the owner is dropped unclosed). Not thread-safe, as its
     * owner; a call while it is closed throws {@link IllegalStateException}.
     */
    static final class Context implements AutoCloseable {
        private NativeHandle handle;
        private boolean unavailable;
        private boolean closed;

        /** The handle, opened on first use; null when the C could not allocate one (the caller codes in Java). */
        NativeHandle handle() {
            if (closed) {
                throw new IllegalStateException("numeric coder is closed");
            }
            if (handle == null && !unavailable) {
                handle = NativeHandle.open("numeric coder context", NativeRans::open0, NativeRans::close0);
                unavailable = handle == null;
            }
            return handle;
        }

        /** Bytes of native memory the context holds (0 before its first call and after close). */
        long held() {
            if (handle == null || handle.isClosed()) {
                return 0;
            }
            return handle.call(NativeRans::held0);
        }

        /** Frees the native memory (at once, or when a call still running on another thread returns). */
        @Override
        public void close() {
            closed = true;
            if (handle != null) {
                handle.close();
            }
        }
    }

    /**
     * {@link RansModel#encode} ({@code format} 1) or {@link LanesModel#encode} (3) in C: the block size written at
     * {@code dst[o...]}, {@link #TOO_SMALL} if {@code dst[o, limit)} is too small, {@link #NO_MEMORY} if the C
     * could not get its scratch memory (the caller then codes in Java).
     */
    static int encode(Context context, int format, byte[] src, int off, int n, int[] layout, byte[] dst, int o,
            int limit) {
        Objects.checkFromIndexSize(off, n, src.length);
        Objects.checkFromToIndex(o, limit, dst.length);
        checkLayout(format, layout);
        NativeHandle handle = context.handle();
        if (handle == null) {
            return NO_MEMORY;
        }
        return handle.callInt(h -> encodeBlock0(h, format, src, off, n, layout[0], layout[1], layout[2], layout[3],
                dst, o, limit));
    }

    /** Throws {@link IllegalArgumentException} unless the layout is one of {@code format}'s. */
    private static void checkLayout(int format, int[] l) {
        boolean ok = l.length >= 4 && (l[1] == 0 || l[1] == 1) && l[2] >= 0 && l[2] <= 7 && (format == 1
                ? (l[0] == 1 || l[0] == 2 || l[0] == 4) && l[3] >= 0 && l[3] <= 5
                : format == 3 && (l[0] == 2 || l[0] == 4) && l[3] >= 0 && l[3] <= 7);
        if (!ok) {
            throw new IllegalArgumentException("numeric: format " + format + " has no layout "
                    + java.util.Arrays.toString(l));
        }
    }

    /**
     * {@link RansModel#decode} or {@link LanesModel#decode} in C (by the block's first byte): returns false if the C
     * could not get its scratch memory (the caller then decodes in Java), else true once {@code dst[dstOff,
     * dstOff+rawLen)} holds the block.
     *
     * @throws CorruptDataException as the Java decoder would
     */
    static boolean decode(Context context, byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, rawLen, dst.length);
        NativeHandle handle = context.handle();
        if (handle == null) {
            return false;
        }
        int r = handle.callInt(h -> decodeBlock0(h, src, srcOff, srcLen, dst, dstOff, rawLen));
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
        checkLayout(1, layout);
        if (pieces < 1 || piece < 0 || piece > len || (pieces > 1 && piece * (long) pieces > len)
                || top.length < RansModel.TOP_CTX * 256 || sec.length < 256 * 256 || topTouched.length < RansModel.TOP_CTX
                || secTouched.length < 256) {
            throw new IllegalArgumentException("bad sample");
        }
        return countSample0(src, off, len, layout[0], layout[1], layout[2], layout[3], pieces, piece, top, sec,
                topTouched, secTouched);
    }

    static native int version();

    private static native int countSample0(byte[] src, int off, int len, int size, int rotate, int expShift,
            int wlog, int pieces, int piece, int[] top, int[] sec, boolean[] topTouched, boolean[] secTouched);

    private static native long open0();

    private static native void close0(long handle);

    private static native long held0(long handle);

    /**
     * Whether format 03 runs the AVX-512 loops: {@code mode} 0 forces the scalar ones (tests, benchmarks), 1 picks
     * by the CPU again, 2 only asks. Process-wide.
     */
    static native int simd(int mode);

    /** {@code param}: format 01's window log, format 03's second-byte context shift. */
    private static native int encodeBlock0(long handle, int format, byte[] src, int off, int n, int size, int rotate,
            int expShift, int param, byte[] dst, int o, int limit);

    private static native int decodeBlock0(long handle, byte[] src, int off, int len, byte[] dst, int dstOff,
            int rawLen);
}
