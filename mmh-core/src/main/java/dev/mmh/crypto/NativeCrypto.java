package dev.mmh.crypto;

import dev.mmh.io.NativeLibraries;

/**
 * The JNI functions of {@code libmmhcrypto.so} ({@code src/main/c/crypto/mmhcrypto.c}) over the system's OpenSSL
 * libcrypto 3. Used only through {@link CryptoContext}, which checks every argument before it calls them (the C
 * checks them again and answers {@link #E_ARG}).
 */
final class NativeCrypto {
    /** Set to {@code false} to hash with the JDK (tests, or a broken libcrypto). */
    static final String DISABLE_PROPERTY = "mmh.crypto.native";

    /** Algorithm ids. */
    static final int ALG_SHA256 = 1;
    static final int ALG_HMAC_SHA256 = 2;

    /** Error codes (see mmhcrypto.h). */
    static final int E_ARG = -1;
    static final int E_STATE = -2;
    static final int E_OPENSSL = -3;
    static final int E_JNI = -4;
    static final int E_MEM = -5;

    /** The most bytes of a Java array one call pins: a pinned array holds up the garbage collector. */
    static final int SLICE = 1 << 20;

    private static final String LOAD_ERROR = NativeLibraries.load(NativeCrypto.class, NativeLibraries.CRYPTO,
            DISABLE_PROPERTY, () -> version() == 1);
    /** Whether the native library is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;
    /** OpenSSL's version text, or null when the library is not in use. */
    static final String OPENSSL_VERSION = AVAILABLE ? opensslVersion() : null;

    private NativeCrypto() {
    }

    /** Null when the library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    /** Why a call failed, for an exception's message. */
    static String describe(int rc) {
        return switch (rc) {
            case E_ARG -> "an argument out of range";
            case E_STATE -> "a call out of order";
            case E_OPENSSL -> "an OpenSSL call failed";
            case E_JNI -> "a Java array could not be pinned";
            case E_MEM -> "out of native memory";
            default -> "error " + rc;
        };
    }

    static native int version();

    static native String opensslVersion();

    /** A new context, or 0 when out of memory or OpenSSL has no SHA-256. */
    static native long open();

    static native void close(long handle);

    /** Starts a message: {@code key} null for SHA-256, 1..1024 bytes for HMAC-SHA-256. 0 or {@code E_*}. */
    static native int begin(long handle, int alg, byte[] key);

    /** Adds {@code b[off, off+len)}, {@code len <= SLICE}. 0 or {@code E_*}. */
    static native int update(long handle, byte[] b, int off, int len);

    /** Ends the message: 32 bytes to {@code out[outOff, outOff+32)}. 0 or {@code E_*}. */
    static native int end(long handle, byte[] out, int outOff);

    /** {@link #begin}, {@link #update} and {@link #end} in one call, {@code len <= SLICE}. 0 or {@code E_*}. */
    static native int digest(long handle, int alg, byte[] key, byte[] b, int off, int len, byte[] out, int outOff);
}
