package dev.mmh.recovery;

/**
 * The {@link Lanes} loops in C ({@code src/main/c/mmhgf.c}, built into the jar by Maven when gcc is there),
 * vectorised with AVX2 where the CPU has it. They exist because the {@code mmh} launcher runs the JVM with the
 * C1 compiler only, which does not vectorise: there, the Java loops encode at a fraction of the speed. The
 * results are identical to the Java loops (NativeLanesTest). Every call checks its lane count against the arrays
 * before C touches them (an {@link IndexOutOfBoundsException}, as the Java loops give), and the C checks again.
 * Thread-safe.
 */
final class NativeLanes {
    /** Set to {@code false} to use the pure-Java loops (tests, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.recovery.native";
    /** Fewer lanes than this are not worth a native call. */
    static final int MIN_LANES = 64;

    private static final String RESOURCE = dev.mmh.io.NativeLibraries.CORE;
    private static final String LOAD_ERROR = load();
    /** Whether the native loops are in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;

    private NativeLanes() {
    }

    /** Null when the native library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    private static String load() {
        return dev.mmh.io.NativeLibraries.load(NativeLanes.class, RESOURCE, DISABLE_PROPERTY, () -> version() == 1);
    }

    static native int version();

    /**
     * {@code acc = acc * alpha^e + row} over [0, n) ({@code row} null: no addition); |e| &lt;= 64.
     *
     * @throws IndexOutOfBoundsException if n is negative or past the end of {@code acc} or {@code row}
     * @throws IllegalArgumentException if |e| &gt; 64
     */
    static void hornerStep(long[] acc, long[] row, int e, int n) {
        Lanes.check(acc, row, n);
        if (e < -64 || e > 64) {
            throw new IllegalArgumentException("exponent " + e + " outside -64..64");
        }
        hornerStep0(acc, row, e, n);
    }

    /**
     * {@code dst ^= src} over [0, n).
     *
     * @throws IndexOutOfBoundsException if n is negative or past the end of either array
     */
    static void xorInto(long[] dst, long[] src, int n) {
        Lanes.check(dst, java.util.Objects.requireNonNull(src), n);
        xorInto0(dst, src, n);
    }

    private static native void hornerStep0(long[] acc, long[] row, int e, int n);

    private static native void xorInto0(long[] dst, long[] src, int n);
}
