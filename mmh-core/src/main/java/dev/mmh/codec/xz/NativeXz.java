package dev.mmh.codec.xz;

import dev.mmh.io.NativeHandle;
import dev.mmh.io.NativeLibraries;
import java.util.Objects;

/**
 * The xz codec's block decoder over the system's liblzma ({@code src/main/c/xz/mmhxz.c}, built by Maven into
 * {@code libmmhxz.so} where liblzma's headers are found). It exists because XZ for Java decodes at half
 * liblzma's speed under the launcher's C1-only JVM (35 against 75 MB/s, XzDecodeBench). Decoding only: the encoder
 * stays XZ for Java, so the bytes of an archive never depend on the machine. Same checks as the Java decoder
 * (XzNativeTest compares them).
 *
 * <p>A handle ({@link #open}) is one liblzma stream in a {@link NativeHandle}: one call at a time, reused block after
 * block (liblzma keeps its dictionary buffer between blocks, bounded as mmhxz.c's {@code keep_dict} says: at most
 * the larger of 8 MiB and twice the last block's dictionary), freed by {@link NativeHandle#close()}. Every method
 * checks its arguments before the native call; the C checks again.
 */
final class NativeXz {
    /** Set to {@code false} to decode with XZ for Java (tests, or a broken liblzma). */
    static final String DISABLE_PROPERTY = "mmh.xz.native";

    /** {@link #decode}'s error codes (see mmhxz.c). */
    static final int E_DATA = -1;
    static final int E_TRUNCATED = -2;
    static final int E_SHORT = -3;
    static final int E_LONG = -4;
    static final int E_TRAILING = -5;
    static final int E_MEM = -6;
    static final int E_JNI = -7;
    /** {@code E_OTHER - r} for any other {@code lzma_ret r}. */
    static final int E_OTHER = -100;

    /** Smallest and largest dictionary liblzma's LZMA2 decoder takes. */
    static final int MIN_DICT = 4096;
    static final int MAX_DICT = 3 << 29;

    private static final String LOAD_ERROR = NativeLibraries.load(NativeXz.class, NativeLibraries.XZ,
            DISABLE_PROPERTY, () -> version() == 2);
    /** Whether the native decoder is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;
    /** liblzma's version, e.g. {@code 5.4.1}, or null when the library is not in use. */
    static final String LIBLZMA_VERSION = AVAILABLE ? liblzmaVersion() : null;

    private NativeXz() {
    }

    /** Null when the native decoder is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    static native int version();

    static native String liblzmaVersion();

    /** A new handle, or null when out of native memory. */
    static NativeHandle open() {
        return NativeHandle.open("xz decompressor", NativeXz::open0, NativeXz::close0);
    }

    /**
     * Decodes the raw LZMA2 stream {@code src[srcOff, srcOff+srcLen)} into exactly {@code dst[dstOff,
     * dstOff+rawLen)} with a dictionary of at least {@code dictSize} bytes.
     *
     * @return 0, or a negative error code ({@code E_*}); a damaged block may leave part of the range written
     * @throws IndexOutOfBoundsException if a range lies outside its array
     * @throws IllegalArgumentException if {@code dictSize} is outside {@link #MIN_DICT}..{@link #MAX_DICT}
     * @throws IllegalStateException if the handle is closed or in use
     */
    static int decode(NativeHandle handle, byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen,
            int dictSize) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, rawLen, dst.length);
        if (dictSize < MIN_DICT || dictSize > MAX_DICT) {
            throw new IllegalArgumentException("xz dictionary of " + dictSize + " bytes");
        }
        return handle.callInt(h -> decode0(h, src, srcOff, srcLen, dst, dstOff, rawLen, dictSize));
    }

    /** Input bytes the last {@link #decode} read, for messages. */
    static long totalIn(NativeHandle handle) {
        return handle.call(NativeXz::totalIn0);
    }

    /** Output bytes the last {@link #decode} produced (one past {@code rawLen} for {@link #E_LONG}), for messages. */
    static long totalOut(NativeHandle handle) {
        return handle.call(NativeXz::totalOut0);
    }

    /** The dictionary size the handle's decoder holds now (0: none yet). */
    static long dictHeld(NativeHandle handle) {
        return handle.call(NativeXz::dictHeld0);
    }

    private static native long open0();

    private static native void close0(long handle);

    private static native int decode0(long handle, byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff,
            int rawLen, int dictSize);

    private static native long totalIn0(long handle);

    private static native long totalOut0(long handle);

    private static native long dictHeld0(long handle);
}
