package dev.mmh.codec.bwt;

import java.nio.ByteBuffer;

/**
 * The bwt block decoder in C ({@code src/main/c/mmhbwt.c}, built into mmh-core's {@code libmmhcore.so} by Maven
 * when gcc is there): the rank decoding and the inverse transform of every chunk of a block in one call. It
 * exists because the {@code mmh} launcher runs the JVM with the C1 compiler only, where the Java decoder
 * ({@link RankCoder#decode}, {@link Bwt#inverse}) is several times slower. Same format, same checks, same
 * output as the Java decoder (NativeBwtTest); on damaged input it reports an error code, and
 * {@link BwtCodec}'s decompressor then runs the Java decoder for the exception and its message. Thread-safe;
 * each call works in the scratch buffer its caller passes ({@link #scratch}: one per thread).
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
        return dev.mmh.io.NativeLibraries.load(NativeBwt.class, RESOURCE, DISABLE_PROPERTY, () -> version() == 1);
    }

    /**
     * Each thread's scratch buffer, kept for the thread's life: worker threads decode block after block, often of
     * several archives in a row, and a new buffer costs its zeroing and page faults (~10 ms for an 8 MiB block).
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    /**
     * This thread's scratch buffer, at least {@code size} bytes; a new one gets {@code roomy} bytes (if more), so
     * that the next blocks, whose coded sizes differ, fit too instead of each growing it a little (every new direct
     * buffer is zeroed and page-faulted in: ~45 MB for an 8 MiB block).
     */
    static ByteBuffer scratch(int size, int roomy) {
        ByteBuffer b = SCRATCH.get();
        if (b == null || b.capacity() < size) {
            SCRATCH.remove(); // let the smaller one go before allocating
            b = ByteBuffer.allocateDirect(Math.max(size, roomy));
            SCRATCH.set(b);
        }
        return b;
    }

    static native int version();

    /**
     * Bytes of direct scratch memory {@link #decode} needs for a block of {@code srcLen} bytes: about 5 per byte
     * of its largest possible chunk (at most 16 MiB), plus {@code srcLen}.
     */
    static native long scratchSize(int srcLen, int rawLen);

    /**
     * Decodes the block {@code src[srcOff, srcOff+srcLen)} into {@code dst[dstOff, dstOff+rawLen)}, chunk by chunk
     * (a damaged block may leave the chunks before the damage written). The caller has checked both ranges.
     *
     * @param scratch a direct buffer of at least {@link #scratchSize} bytes
     * @return 0, or a negative code when the block is damaged (or the scratch buffer unusable)
     */
    static native int decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen,
            ByteBuffer scratch);
}
