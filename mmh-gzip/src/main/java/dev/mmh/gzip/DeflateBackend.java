package dev.mmh.gzip;

import dev.mmh.io.NativeHandle;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw DEFLATE of whole blocks and CRC-32: libdeflate through JNI when its library loaded, else the JDK's zlib.
 * The objects it makes are not thread-safe (one per thread, reused) and must be closed to free native memory.
 * All buffers passed in are direct or heap {@link ByteBuffer}s addressed by absolute position; positions and
 * limits are not changed.
 *
 * <p>Both backends follow one contract (DeflateBackendContractTest runs it on each): a range outside its buffer
 * (or a heap buffer given to libdeflate) throws {@link IllegalArgumentException} before any native call; a level
 * outside 0..{@link #maxLevel()} throws {@link IllegalArgumentException}; a deflater or inflater used after
 * {@code close()} throws {@link IllegalStateException}; {@code close()} is idempotent, and closing while another
 * thread is inside a call frees the native object when that call returns ({@link NativeHandle}), never under it.
 */
public abstract class DeflateBackend {
    private static volatile DeflateBackend best;

    DeflateBackend() {
    }

    /**
     * libdeflate if its native library loaded, else the JDK's zlib; on the first fallback one line on stderr says
     * why.
     */
    public static DeflateBackend best() {
        DeflateBackend b = best;
        if (b == null) {
            synchronized (DeflateBackend.class) {
                b = best;
                if (b == null) {
                    String why = LibDeflate.loadError();
                    if (why == null) {
                        b = new Native();
                    } else {
                        if (!"false".equalsIgnoreCase(System.getProperty(LibDeflate.DISABLE_PROPERTY))) {
                            System.err.println("mmh: libdeflate not available (" + why
                                    + "); using the JDK's zlib, which is slower");
                        }
                        b = new Jdk();
                    }
                    best = b;
                }
            }
        }
        return b;
    }

    /** The JDK's zlib ({@link Deflater}, {@link Inflater}, {@link CRC32}); levels 10..12 act as 9. */
    public static DeflateBackend jdk() {
        return new Jdk();
    }

    /** libdeflate, or null when its native library did not load. */
    static DeflateBackend libdeflate() {
        return LibDeflate.loadError() == null ? new Native() : null;
    }

    /** Short name for messages: "libdeflate 1.14" or "jdk-zlib". */
    public abstract String name();

    /** Highest level it distinguishes (12 for libdeflate, 9 for zlib). */
    public abstract int maxLevel();

    abstract BlockDeflater deflater(int level);

    /** Whether inflating a whole member in memory beats streaming it (true for libdeflate). */
    abstract boolean fastWholeMembers();

    abstract BlockInflater inflater();

    /** CRC-32 (gzip's) of {@code buf[pos, pos+len)}. */
    abstract int crc32(ByteBuffer buf, int pos, int len);

    /** Throws {@link IllegalArgumentException} unless {@code [pos, pos+len)} lies within {@code b}'s capacity. */
    static void checkRange(ByteBuffer b, int pos, int len) {
        if (pos < 0 || len < 0 || pos > b.capacity() - len) {
            throw new IllegalArgumentException("range [" + pos + ", +" + len + ") outside a buffer of "
                    + b.capacity() + " bytes");
        }
    }

    static void checkLevel(int level, int max) {
        if (level < 0 || level > max) {
            throw new IllegalArgumentException("deflate level " + level + " out of range 0.." + max);
        }
    }

    /** Compresses a whole block to raw DEFLATE. */
    interface BlockDeflater extends AutoCloseable {
        /** Room the output needs for an input of {@code length} bytes. */
        int maxCompressedLength(int length);

        /** Compresses {@code src[pos, pos+len)} into {@code dst} from {@code dstPos}; returns bytes written. */
        int compress(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen);

        @Override
        void close();
    }

    /** Inflates one whole raw DEFLATE stream that is in memory. */
    interface BlockInflater extends AutoCloseable {
        /** Result: bad or truncated data. */
        long BAD_DATA = -1;
        /** Result: the output did not fit in the room given. */
        long NO_ROOM = -3;

        /**
         * Inflates the stream starting at {@code src[pos]} into {@code dst[dstPos, dstPos+dstLen)}.
         *
         * @return {@code bytesRead << 32 | bytesWritten}, or {@link #BAD_DATA} or {@link #NO_ROOM}
         */
        long inflate(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen);

        @Override
        void close();
    }

    private static final class Native extends DeflateBackend {
        private final String name = "libdeflate " + LibDeflate.version();

        @Override
        public String name() {
            return name;
        }

        @Override
        public int maxLevel() {
            return 12;
        }

        @Override
        boolean fastWholeMembers() {
            return true;
        }

        @Override
        BlockDeflater deflater(int level) {
            checkLevel(level, 12);
            long h = LibDeflate.allocCompressor(level);
            if (h == 0) {
                throw new OutOfMemoryError("libdeflate_alloc_compressor(" + level + ") failed");
            }
            NativeHandle handle = new NativeHandle("libdeflate compressor", h, LibDeflate::freeCompressor);
            return new BlockDeflater() {
                @Override
                public int maxCompressedLength(int length) {
                    if (length < 0) {
                        throw new IllegalArgumentException("negative length " + length);
                    }
                    return Math.toIntExact(handle.call(a -> LibDeflate.compressBound(a, length)));
                }

                @Override
                public int compress(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen) {
                    checkDirect(src, pos, len);
                    checkDirect(dst, dstPos, dstLen);
                    int n = handle.callInt(a -> LibDeflate.compress(a, src, pos, len, dst, dstPos, dstLen));
                    if (n <= 0) {
                        throw new IllegalStateException("libdeflate: output room " + dstLen + " too small for " + len);
                    }
                    return n;
                }

                @Override
                public void close() {
                    handle.close();
                }
            };
        }

        @Override
        BlockInflater inflater() {
            long h = LibDeflate.allocDecompressor();
            if (h == 0) {
                throw new OutOfMemoryError("libdeflate_alloc_decompressor failed");
            }
            NativeHandle handle = new NativeHandle("libdeflate decompressor", h, LibDeflate::freeDecompressor);
            return new BlockInflater() {
                @Override
                public long inflate(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen) {
                    checkDirect(src, pos, len);
                    checkDirect(dst, dstPos, dstLen);
                    long r = handle.call(a -> LibDeflate.decompress(a, src, pos, len, dst, dstPos, dstLen));
                    if (r >= 0) {
                        return r;
                    }
                    return r == -3 ? NO_ROOM : BAD_DATA;
                }

                @Override
                public void close() {
                    handle.close();
                }
            };
        }

        @Override
        int crc32(ByteBuffer buf, int pos, int len) {
            if (!buf.isDirect()) {
                return Jdk.crc(buf, pos, len);
            }
            checkDirect(buf, pos, len);
            return LibDeflate.crc32(0, buf, pos, len);
        }

        private static void checkDirect(ByteBuffer b, int pos, int len) {
            if (!b.isDirect()) {
                throw new IllegalArgumentException("libdeflate needs a direct buffer");
            }
            DeflateBackend.checkRange(b, pos, len);
        }
    }

    private static final class Jdk extends DeflateBackend {
        @Override
        public String name() {
            return "jdk-zlib";
        }

        @Override
        public int maxLevel() {
            return 9;
        }

        @Override
        boolean fastWholeMembers() {
            return false;
        }

        static int crc(ByteBuffer buf, int pos, int len) {
            checkRange(buf, pos, len);
            CRC32 c = new CRC32();
            c.update(buf.duplicate().limit(pos + len).position(pos));
            return (int) c.getValue();
        }

        @Override
        int crc32(ByteBuffer buf, int pos, int len) {
            return crc(buf, pos, len);
        }

        @Override
        BlockDeflater deflater(int level) {
            checkLevel(level, 12); // libdeflate's levels are accepted, 10..12 as 9
            Deflater d = new Deflater(Math.min(level, 9), true);
            return new BlockDeflater() {
                private boolean closed;

                @Override
                public synchronized int maxCompressedLength(int length) {
                    open(closed, "zlib deflater");
                    if (length < 0) {
                        throw new IllegalArgumentException("negative length " + length);
                    }
                    // zlib's deflateBound plus stored-block overhead, rounded up generously
                    return length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 64;
                }

                @Override
                public synchronized int compress(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos,
                        int dstLen) {
                    open(closed, "zlib deflater");
                    checkRange(src, pos, len);
                    checkRange(dst, dstPos, dstLen);
                    d.reset();
                    d.setInput(src.duplicate().limit(pos + len).position(pos));
                    d.finish();
                    ByteBuffer out = dst.duplicate().limit(dstPos + dstLen).position(dstPos);
                    while (!d.finished()) {
                        if (!out.hasRemaining()) {
                            throw new IllegalStateException("zlib: output room " + dstLen + " too small for " + len);
                        }
                        d.deflate(out);
                    }
                    return out.position() - dstPos;
                }

                @Override
                public synchronized void close() { // waits for a running call, as libdeflate's free does
                    closed = true;
                    d.end();
                }
            };
        }

        @Override
        BlockInflater inflater() {
            Inflater inf = new Inflater(true);
            return new BlockInflater() {
                private boolean closed;

                @Override
                public synchronized long inflate(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos,
                        int dstLen) {
                    open(closed, "zlib inflater");
                    checkRange(src, pos, len);
                    checkRange(dst, dstPos, dstLen);
                    inf.reset();
                    ByteBuffer in = src.duplicate().limit(pos + len).position(pos);
                    ByteBuffer out = dst.duplicate().limit(dstPos + dstLen).position(dstPos);
                    inf.setInput(in);
                    try {
                        while (!inf.finished()) {
                            // with the output full, one spare byte tells "more output" from "just the end code"
                            ByteBuffer target = out.hasRemaining() ? out : ByteBuffer.allocate(1);
                            int n = inf.inflate(target);
                            if (target != out && n > 0) {
                                return NO_ROOM;
                            }
                            if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                                return BAD_DATA;
                            }
                        }
                    } catch (DataFormatException e) {
                        return BAD_DATA;
                    }
                    long read = len - inf.getRemaining();
                    return read << 32 | (out.position() - dstPos);
                }

                @Override
                public synchronized void close() {
                    closed = true;
                    inf.end();
                }
            };
        }

        /** A closed zlib object throws IllegalStateException, as a closed libdeflate one does. */
        private static void open(boolean closed, String what) {
            if (closed) {
                throw new IllegalStateException(what + " is closed");
            }
        }
    }
}
