package dev.mmh.gzip;

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

    /** The JDK's zlib ({@link Deflater}, {@link Inflater}, {@link CRC32}); levels above 9 act as 9. */
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
            long h = LibDeflate.allocCompressor(level);
            if (h == 0) {
                throw new OutOfMemoryError("libdeflate_alloc_compressor(" + level + ") failed");
            }
            return new BlockDeflater() {
                private long handle = h;

                @Override
                public int maxCompressedLength(int length) {
                    return Math.toIntExact(LibDeflate.compressBound(handle, length));
                }

                @Override
                public int compress(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen) {
                    checkRange(src, pos, len);
                    checkRange(dst, dstPos, dstLen);
                    int n = LibDeflate.compress(handle, src, pos, len, dst, dstPos, dstLen);
                    if (n <= 0) {
                        throw new IllegalStateException("libdeflate: output room " + dstLen + " too small for " + len);
                    }
                    return n;
                }

                @Override
                public void close() {
                    if (handle != 0) {
                        LibDeflate.freeCompressor(handle);
                        handle = 0;
                    }
                }
            };
        }

        @Override
        BlockInflater inflater() {
            long h = LibDeflate.allocDecompressor();
            if (h == 0) {
                throw new OutOfMemoryError("libdeflate_alloc_decompressor failed");
            }
            return new BlockInflater() {
                private long handle = h;

                @Override
                public long inflate(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen) {
                    checkRange(src, pos, len);
                    checkRange(dst, dstPos, dstLen);
                    long r = LibDeflate.decompress(handle, src, pos, len, dst, dstPos, dstLen);
                    if (r >= 0) {
                        return r;
                    }
                    return r == -3 ? NO_ROOM : BAD_DATA;
                }

                @Override
                public void close() {
                    if (handle != 0) {
                        LibDeflate.freeDecompressor(handle);
                        handle = 0;
                    }
                }
            };
        }

        @Override
        int crc32(ByteBuffer buf, int pos, int len) {
            if (!buf.isDirect()) {
                return Jdk.crc(buf, pos, len);
            }
            checkRange(buf, pos, len);
            return LibDeflate.crc32(0, buf, pos, len);
        }

        private static void checkRange(ByteBuffer b, int pos, int len) {
            if (!b.isDirect() || pos < 0 || len < 0 || pos > b.capacity() - len) {
                throw new IllegalArgumentException("need a direct buffer with room for [" + pos + ", +" + len + ")");
            }
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
            Deflater d = new Deflater(Math.min(level, 9), true);
            return new BlockDeflater() {
                @Override
                public int maxCompressedLength(int length) {
                    // zlib's deflateBound plus stored-block overhead, rounded up generously
                    return length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 64;
                }

                @Override
                public int compress(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen) {
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
                public void close() {
                    d.end();
                }
            };
        }

        @Override
        BlockInflater inflater() {
            Inflater inf = new Inflater(true);
            return new BlockInflater() {
                @Override
                public long inflate(ByteBuffer src, int pos, int len, ByteBuffer dst, int dstPos, int dstLen) {
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
                public void close() {
                    inf.end();
                }
            };
        }
    }
}
