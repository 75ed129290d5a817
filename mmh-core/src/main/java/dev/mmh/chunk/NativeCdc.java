package dev.mmh.chunk;

import dev.mmh.io.NativeLibraries;

/**
 * FastCDC's cut search in C ({@code src/main/c/mmhcdc.c} in {@code libmmhcore.so}), for {@link Chunker}s that
 * compute no IDs. It exists because the Java loop runs several times slower under the launcher's C1-only JVM.
 * Same cuts as {@link FastCdc#scan} (ChunkerTest compares them). Thread-safe (stateless).
 */
final class NativeCdc {
    /** Set to {@code false} to cut in Java (tests, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.chunk.native";
    /** The most bytes one call scans: the array stays pinned during the call. */
    static final int SLICE = 1 << 20;

    private static final String LOAD_ERROR = NativeLibraries.load(NativeCdc.class, NativeLibraries.CORE,
            DISABLE_PROPERTY, () -> version() == 1);
    /** Whether the native loop is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;

    private NativeCdc() {
    }

    /** Null when the native library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    static native int version();

    /**
     * Scans {@code b[off, off+len)} ({@code len <= SLICE}) as the next bytes of the open chunk; see
     * {@link FastCdc#scan} for {@code state}. Writes the end of every chunk that ends in the range (an offset from
     * {@code off}, exclusive) to {@code cuts}, which holds at least {@code len / min + 1} entries.
     *
     * @return the number of cuts, or a negative code when an argument is out of range (a bug on the Java side)
     */
    static native int scan(long[] gear, int min, int avg, int max, byte[] b, int off, int len, long[] state,
            int[] cuts);
}
