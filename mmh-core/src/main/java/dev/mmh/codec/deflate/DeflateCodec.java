package dev.mmh.codec.deflate;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.AbstractCompressor;
import dev.mmh.codec.AbstractDecompressor;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw deflate (RFC 1951, no zlib or gzip wrapper) through the JDK's {@link Deflater} and {@link Inflater}, which
 * run the zlib that the JDK was built with. Levels 1-9 as in zlib and gzip; each block is one complete deflate
 * stream, so blocks decode independently. The container checks every block, so no Adler-32 or CRC-32 is stored.
 *
 * <p>Each compressor and decompressor keeps one zlib context and resets it per block; {@link Compressor#close()}
 * and {@link Decompressor#close()} free it.
 */
public final class DeflateCodec implements Codec {
    @Override
    public int id() {
        return Codecs.DEFLATE;
    }

    @Override
    public String name() {
        return "deflate";
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return 9;
    }

    @Override
    public int defaultLevel() {
        return 6;
    }

    @Override
    public int fastLevel() {
        return 1;
    }

    /**
     * zlib's bound for stored blocks (deflateBound's {@code storelen}), which also covers every level's worst
     * case whatever zlib build or memLevel the JDK uses; 5 bytes of header per stored block of at least 4 KiB.
     */
    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength + (rawLength >> 5) + (rawLength >> 7) + (rawLength >> 11) + 7 + 16;
    }

    @Override
    public void validate(CodecParams params) {
        Codec.super.validate(params);
        if (params.windowLog() != 0) {
            throw new IllegalArgumentException("deflate uses zlib's 32 KiB window; window log must be 0");
        }
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        return new DeflateCompressor(new Deflater(params.level(), true));
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        return new DeflateDecompressor(new Inflater(true));
    }

    /** Works on ByteBuffers throughout (java.util.zip reads heap and direct ones without copying). */
    private static final class DeflateCompressor extends AbstractCompressor {
        private final Deflater deflater;

        DeflateCompressor(Deflater deflater) {
            super("deflate");
            this.deflater = deflater;
        }

        @Override
        protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                throws IOException {
            return compress(ByteBuffer.wrap(src, srcOff, srcLen), ByteBuffer.wrap(dst, dstOff, dstLen));
        }

        @Override
        public int compress(ByteBuffer src, ByteBuffer dst) throws IOException {
            checkOpen();
            deflater.reset();
            deflater.setInput(src);
            deflater.finish();
            int start = dst.position();
            while (!deflater.finished()) {
                if (!dst.hasRemaining()) {
                    throw new IOException("deflate output does not fit in " + (dst.position() - start) + " bytes");
                }
                deflater.deflate(dst);
            }
            return dst.position() - start;
        }

        @Override
        protected void release() {
            deflater.end();
        }
    }

    private static final class DeflateDecompressor extends AbstractDecompressor {
        private final Inflater inflater;
        /** Receives one byte past the expected end, to tell a stream that is too long from one that ends. */
        private final ByteBuffer probe = ByteBuffer.allocate(1);

        DeflateDecompressor(Inflater inflater) {
            super("deflate");
            this.inflater = inflater;
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            decompress(ByteBuffer.wrap(src, srcOff, srcLen), ByteBuffer.wrap(dst, dstOff, rawLen));
        }

        /** On failure the buffers' positions are unspecified. */
        @Override
        public void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
            checkOpen();
            int rawLen = dst.remaining();
            inflater.reset();
            inflater.setInput(src);
            try {
                while (!inflater.finished()) {
                    int before = inflater.getRemaining();
                    int n;
                    if (dst.hasRemaining()) {
                        n = inflater.inflate(dst);
                    } else {
                        probe.clear();
                        n = inflater.inflate(probe);
                        if (n > 0) {
                            throw corrupt("deflate block decodes to more than " + rawLen + " bytes");
                        }
                    }
                    if (n == 0 && !inflater.finished()) {
                        // all input was given at once: needing more means the block is cut short
                        if (inflater.needsInput()) {
                            throw corrupt("deflate block is truncated after " + (rawLen - dst.remaining()) + " of "
                                    + rawLen + " bytes");
                        }
                        if (inflater.needsDictionary()) {
                            throw corrupt("deflate block asks for a preset dictionary");
                        }
                        if (inflater.getRemaining() == before) {
                            // zlib neither read nor wrote: never loop on it
                            throw corrupt("deflate decoder made no progress");
                        }
                    }
                }
            } catch (DataFormatException e) {
                throw new CorruptDataException("deflate: " + e.getMessage(), -1, -1, e);
            }
            if (dst.hasRemaining()) {
                throw corrupt("deflate block decoded to " + (rawLen - dst.remaining()) + " bytes, expected " + rawLen);
            }
            if (inflater.getRemaining() != 0) {
                throw corrupt("deflate block has " + inflater.getRemaining() + " bytes after its end");
            }
        }

        @Override
        protected void release() {
            inflater.end();
        }
    }

    private static CorruptDataException corrupt(String reason) {
        return new CorruptDataException(reason, -1, -1);
    }

    /** The JDK's zlib; java.util.zip gives no way to ask which zlib version it links. */
    @Override
    public String libraryVersion() {
        return "java.util.zip (JDK " + Runtime.version() + " zlib)";
    }

    /** zlib is native code inside the JDK. */
    @Override
    public boolean isNative() {
        return true;
    }
}
