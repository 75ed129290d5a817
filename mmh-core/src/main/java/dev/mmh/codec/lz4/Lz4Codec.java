package dev.mmh.codec.lz4;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.AbstractCompressor;
import dev.mmh.codec.AbstractDecompressor;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.codec.LibraryVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.util.Native;

/**
 * LZ4 block format through lz4-java (the maintained {@code at.yawk.lz4} line). Levels follow the {@code lz4} command:
 * 1-2 use the fast compressor, 3-12 the high-compression (HC) compressor at that level. Each block is one raw LZ4
 * block (no frame, no checksum: the container checks every block); its decoded size comes from the container.
 *
 * <p>The native (JNI) library is used when it loads, with compressors that keep their native state between blocks;
 * otherwise lz4-java's pure-Java port is used, which is slower and not guaranteed to produce the same bytes.
 * Decoding always uses the bounds-checked ("safe") decoder.
 */
public final class Lz4Codec implements Codec {
    /** First level that uses the HC compressor, as in the {@code lz4} command. */
    public static final int HC_MIN_LEVEL = 3;
    /** Highest level; the {@code lz4} command stops at 12 too (lz4-java accepts up to 17, which is 12 again). */
    public static final int MAX_LEVEL = 12;
    /** Largest input of one LZ4 block (LZ4_MAX_INPUT_SIZE). */
    public static final int MAX_INPUT_SIZE = 0x7E000000;

    private static final class Holder {
        static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
        static final boolean NATIVE = Native.isLoaded();
    }

    @Override
    public int id() {
        return Codecs.LZ4;
    }

    @Override
    public String name() {
        return "lz4";
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return MAX_LEVEL;
    }

    @Override
    public int defaultLevel() {
        return 1;
    }

    @Override
    public int fastLevel() {
        return 1;
    }

    /** LZ4_compressBound: literals cost one extra byte per 255, plus 16 bytes of headroom. */
    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength + rawLength / 255 + 16;
    }

    @Override
    public void validate(CodecParams params) {
        Codec.super.validate(params);
        if (params.windowLog() != 0) {
            throw new IllegalArgumentException("lz4 has a fixed 64 KiB window; window log must be 0");
        }
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        LZ4Factory f = Holder.FACTORY;
        int level = params.level();
        LZ4Compressor c;
        if (Holder.NATIVE) {
            // native state allocated once and fast-reset for each block
            c = level < HC_MIN_LEVEL ? f.fastResetCompressor() : f.highFastResetCompressor(level);
        } else {
            c = level < HC_MIN_LEVEL ? f.fastCompressor() : f.highCompressor(level);
        }
        return new Lz4Compressor(c);
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        return new Lz4Decompressor(Holder.FACTORY.safeDecompressor());
    }

    @Override
    public String libraryVersion() {
        return "lz4-java " + LibraryVersion.of(LZ4Factory.class, "at.yawk.lz4", "lz4-java")
                + (Holder.NATIVE ? " (JNI)" : " (pure Java)");
    }

    @Override
    public boolean isNative() {
        return Holder.NATIVE;
    }

    private static final class Lz4Compressor extends AbstractCompressor {
        private final LZ4Compressor c;

        Lz4Compressor(LZ4Compressor c) {
            super("lz4");
            this.c = c;
        }

        @Override
        protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                throws IOException {
            checkInput(srcLen);
            try {
                return c.compress(src, srcOff, srcLen, dst, dstOff, dstLen);
            } catch (LZ4Exception e) {
                throw new IOException("lz4 compression failed (destination too small?): " + e.getMessage(), e);
            }
        }

        @Override
        public int compress(ByteBuffer src, ByteBuffer dst) throws IOException {
            if (!src.isDirect() && !dst.isDirect()) {
                return super.compress(src, dst);
            }
            checkOpen();
            checkInput(src.remaining());
            try {
                int n = c.compress(src, src.position(), src.remaining(), dst, dst.position(), dst.remaining());
                src.position(src.limit());
                dst.position(dst.position() + n);
                return n;
            } catch (LZ4Exception e) {
                throw new IOException("lz4 compression failed (destination too small?): " + e.getMessage(), e);
            }
        }

        private static void checkInput(int srcLen) throws IOException {
            if (srcLen > MAX_INPUT_SIZE) {
                throw new IOException("lz4 block of " + srcLen + " bytes exceeds the format's " + MAX_INPUT_SIZE);
            }
        }

        @Override
        protected void release() {
            if (c instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) c).close();
                } catch (Exception e) {
                    // freeing native state does not fail in practice; nothing to do if it does
                }
            }
        }
    }

    private static final class Lz4Decompressor extends AbstractDecompressor {
        private final LZ4SafeDecompressor d;

        Lz4Decompressor(LZ4SafeDecompressor d) {
            super("lz4");
            this.d = d;
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            int n;
            try {
                n = d.decompress(src, srcOff, srcLen, dst, dstOff, rawLen);
            } catch (LZ4Exception | IndexOutOfBoundsException e) {
                throw new CorruptDataException("lz4: malformed block (" + e.getMessage() + ")", -1, -1, e);
            }
            checkLength(n, rawLen);
        }

        @Override
        public void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
            if (!src.isDirect() && !dst.isDirect()) {
                super.decompress(src, dst);
                return;
            }
            checkOpen();
            int rawLen = dst.remaining();
            int n;
            try {
                n = d.decompress(src, src.position(), src.remaining(), dst, dst.position(), rawLen);
            } catch (LZ4Exception | IndexOutOfBoundsException e) {
                throw new CorruptDataException("lz4: malformed block (" + e.getMessage() + ")", -1, -1, e);
            }
            checkLength(n, rawLen);
            src.position(src.limit());
            dst.position(dst.position() + n);
        }

        private static void checkLength(int n, int rawLen) throws CorruptDataException {
            if (n != rawLen) {
                throw new CorruptDataException("lz4 block decoded to " + n + " bytes, expected " + rawLen, -1, -1);
            }
        }
    }
}
