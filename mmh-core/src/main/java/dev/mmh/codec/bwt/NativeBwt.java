package dev.mmh.codec.bwt;

import dev.mmh.io.NativeHandle;
import java.util.Objects;

/**
 * The bwt block decoder in C ({@code src/main/c/mmhbwt.c}, built into mmh-core's {@code libmmhcore.so} by Maven
 * when gcc is there): the rank decoding and the inverse transform of every chunk of a block in one call. It
 * exists because the {@code mmh} launcher runs the JVM with the C1 compiler only, where the Java decoder
 * ({@link RankCoder#decode}, {@link Bwt#inverse}) is several times slower. Same format, same checks, same
 * output as the Java decoder (NativeBwtTest); on damaged input it reports an error code, and
 * {@link BwtCodec}'s decompressor then runs the Java decoder for the exception and its message.
 *
 * <p>Each decompressor owns one {@link #open() context}: native scratch memory (about 5 bytes per byte of the
 * largest chunk, plus the block) allocated at its first block, grown when a block needs more, and freed by
 * {@link NativeHandle#close()} (its owner's {@code close()}, or the Cleaner if it leaks). Static methods are
 * thread-safe; a context serves one call at a time.
 */
final class NativeBwt {
    /** Set to {@code false} to decode with the pure-Java code (tests, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.bwt.native";

    /** mmh-core's one JNI library (the recovery code's loops live in it too, hence its place). */
    private static final String RESOURCE = dev.mmh.io.NativeLibraries.CORE;
    private static final String LOAD_ERROR = load();
    /** Whether the native decoder is in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;

    private NativeBwt() {
    }

    /** Null when the native decoder is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    private static String load() {
        return dev.mmh.io.NativeLibraries.load(NativeBwt.class, RESOURCE, DISABLE_PROPERTY, () -> version() == 2);
    }

    static native int version();

    /**
     * Bytes of scratch memory {@link #decode} needs for a block of {@code srcLen} bytes: about 5 per byte of its
     * largest possible chunk (at most 16 MiB), plus {@code srcLen}.
     */
    static native long scratchSize(int srcLen, int rawLen);

    /** A new decoding context (no scratch yet), or {@code null} when native memory ran out. */
    static NativeHandle open() {
        return NativeHandle.open("bwt decoder context", NativeBwt::open0, NativeBwt::close0);
    }

    /**
     * Decodes the block {@code src[srcOff, srcOff+srcLen)} into {@code dst[dstOff, dstOff+rawLen)}, chunk by chunk
     * (a damaged block may leave the chunks before the damage written), in {@code context}'s scratch, which grows
     * to {@link #scratchSize} bytes if it is smaller (to {@code roomy} bytes if that is more).
     *
     * @return 0, or a negative code when the block is damaged (or the scratch could not be allocated)
     * @throws IndexOutOfBoundsException if a range lies outside its array
     * @throws IllegalStateException if the context is closed or in use
     */
    static int decode(NativeHandle context, byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen,
            long roomy) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, rawLen, dst.length);
        return context.callInt(h -> decode0(h, src, srcOff, srcLen, dst, dstOff, rawLen, roomy));
    }

    /** Bytes of scratch memory the context holds now. */
    static long scratchHeld(NativeHandle context) {
        return context.call(NativeBwt::scratchHeld0);
    }

    private static native long open0();

    private static native void close0(long handle);

    private static native long scratchHeld0(long handle);

    private static native int decode0(long handle, byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff,
            int rawLen, long roomy);
}
