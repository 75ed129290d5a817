package dev.mmh.gzip;

import java.nio.ByteBuffer;

/**
 * The JNI binding over libdeflate (built from {@code src/main/c} by the Maven build). Every method takes direct
 * buffers and absolute positions; callers ({@link DeflateBackend}) check bounds before calling and hold each
 * handle in a {@link dev.mmh.io.NativeHandle} (one call at a time, never a closed handle); the C checks the
 * handle and the ranges again and throws {@link IllegalArgumentException} or {@link IllegalStateException} rather
 * than touch memory outside a buffer.
 */
final class LibDeflate {
    /** Set to {@code false} to force the JDK zlib fallback (tests, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.gzip.native";

    private static final String RESOURCE = "native/linux-amd64/libmmhgzip.so";
    private static final String LOAD_ERROR = load();

    private LibDeflate() {
    }

    /** Null when the native library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    private static String load() {
        return dev.mmh.io.NativeLibraries.load(LibDeflate.class, RESOURCE, DISABLE_PROPERTY, () -> version() != null);
    }

    static native String version();

    static native long allocCompressor(int level);

    static native void freeCompressor(long handle);

    static native long compressBound(long handle, long length);

    static native int compress(long handle, ByteBuffer src, int srcPos, int srcLen, ByteBuffer dst, int dstPos,
            int dstLen);

    static native long allocDecompressor();

    static native void freeDecompressor(long handle);

    static native long decompress(long handle, ByteBuffer src, int srcPos, int srcLen, ByteBuffer dst, int dstPos,
            int dstLen);

    static native int crc32(int crc, ByteBuffer buf, int pos, int len);
}
