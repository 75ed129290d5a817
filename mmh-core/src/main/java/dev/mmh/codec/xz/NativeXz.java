package dev.mmh.codec.xz;

import dev.mmh.io.NativeLibraries;

/**
 * The xz codec's block decoder over the system's liblzma ({@code src/main/c/xz/mmhxz.c}, built by Maven into
 * {@code libmmhxz.so} where liblzma's headers are found). It exists because XZ for Java decodes at half
 * liblzma's speed under the launcher's C1-only JVM (35 against 75 MB/s, XzDecodeBench). Decoding only: the encoder stays XZ for Java, so the bytes
 * of an archive never depend on the machine. Same checks as the Java decoder (XzNativeTest compares them).
 *
 * <p>A handle ({@link #open}) is one liblzma stream: one thread at a time, reused block after block (liblzma keeps
 * its dictionary buffer between blocks), freed by {@link #close}.
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

    private static final String LOAD_ERROR = NativeLibraries.load(NativeXz.class, NativeLibraries.XZ,
            DISABLE_PROPERTY, () -> version() == 1);
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

    /** A new handle, or 0 when out of native memory. */
    static native long open();

    static native void close(long handle);

    /**
     * Decodes the raw LZMA2 stream {@code src[srcOff, srcOff+srcLen)} into exactly {@code dst[dstOff,
     * dstOff+rawLen)} with a dictionary of at least {@code dictSize} bytes. The caller has checked both ranges.
     *
     * @return 0, or a negative error code ({@code E_*}); a damaged block may leave part of the range written
     */
    static native int decode(long handle, byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen,
            int dictSize);

    /** Input bytes the last {@link #decode} read, for messages. */
    static native long totalIn(long handle);

    /** Output bytes the last {@link #decode} produced (one past {@code rawLen} for {@link #E_LONG}), for messages. */
    static native long totalOut(long handle);
}
