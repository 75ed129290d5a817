package dev.mmh.codec.zstd;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.util.ZstdVersion;
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

/**
 * zstd through zstd-jni. Levels -7..22 (negative levels are zstd's fast levels); {@link CodecParams#LONG}
 * enables long-distance matching with a window of 2^windowLog bytes. Each block is one zstd frame without
 * its own checksum (the container checks every block) and with the content size written.
 */
public final class ZstdCodec implements Codec {
    /** Fastest level offered; zstd accepts lower, but below -7 the gain in speed is small and the ratio collapses. */
    public static final int MIN_LEVEL = -7;

    @Override
    public int id() {
        return Codecs.ZSTD;
    }

    @Override
    public String name() {
        return "zstd";
    }

    @Override
    public int minLevel() {
        return MIN_LEVEL;
    }

    @Override
    public int maxLevel() {
        return Zstd.maxCompressionLevel();
    }

    @Override
    public int defaultLevel() {
        return 3;
    }

    @Override
    public int fastLevel() {
        return 1;
    }

    @Override
    public long maxCompressedLength(long rawLength) {
        return Zstd.compressBound(rawLength);
    }

    @Override
    public void validate(CodecParams params) {
        Codec.super.validate(params);
        if (params.windowLog() != 0 && (params.windowLog() < 10 || params.windowLog() > 31)) {
            throw new IllegalArgumentException("zstd window log must be 10..31");
        }
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        ZstdCompressCtx ctx = new ZstdCompressCtx();
        ctx.setLevel(params.level());
        ctx.setChecksum(false);
        ctx.setContentSize(true);
        if (params.has(CodecParams.LONG)) {
            ctx.setLong(params.windowLog() == 0 ? 27 : params.windowLog());
        } else if (params.windowLog() != 0) {
            ctx.setWindowLog(params.windowLog());
        }
        return new AbstractCompressor(name()) {
            @Override
            protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                    throws IOException {
                try {
                    return ctx.compressByteArray(dst, dstOff, dstLen, src, srcOff, srcLen);
                } catch (ZstdException e) {
                    throw new IOException("zstd compression failed: " + e.getMessage(), e);
                }
            }

            @Override
            public int compress(ByteBuffer src, ByteBuffer dst) throws IOException {
                if (!src.isDirect() || !dst.isDirect()) {
                    return super.compress(src, dst);
                }
                checkOpen();
                try {
                    int n = ctx.compressDirectByteBuffer(dst, dst.position(), dst.remaining(),
                            src, src.position(), src.remaining());
                    src.position(src.limit());
                    dst.position(dst.position() + n);
                    return n;
                } catch (ZstdException e) {
                    throw new IOException("zstd compression failed: " + e.getMessage(), e);
                }
            }

            @Override
            protected void release() {
                ctx.close();
            }
        };
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        ZstdDecompressCtx ctx = new ZstdDecompressCtx();
        // a block is at most the block size; allow the window the writer recorded, never more than 2^31
        ctx.setLongMax(Math.max(27, params.windowLog()));
        return new AbstractDecompressor(name()) {
            @Override
            protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                    throws IOException {
                int n;
                try {
                    n = ctx.decompressByteArray(dst, dstOff, rawLen, src, srcOff, srcLen);
                } catch (ZstdException | IllegalArgumentException | IndexOutOfBoundsException e) {
                    ctx.reset();
                    throw new CorruptDataException("zstd: " + e.getMessage(), -1, -1, e);
                }
                if (n != rawLen) {
                    throw new CorruptDataException("zstd block decoded to " + n + " bytes, expected " + rawLen, -1, -1);
                }
            }

            @Override
            public void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
                if (!src.isDirect() || !dst.isDirect()) {
                    super.decompress(src, dst);
                    return;
                }
                checkOpen();
                int rawLen = dst.remaining();
                int n;
                try {
                    n = ctx.decompressDirectByteBuffer(dst, dst.position(), rawLen, src, src.position(), src.remaining());
                } catch (ZstdException | IllegalArgumentException | IndexOutOfBoundsException e) {
                    ctx.reset();
                    throw new CorruptDataException("zstd: " + e.getMessage(), -1, -1, e);
                }
                if (n != rawLen) {
                    throw new CorruptDataException("zstd block decoded to " + n + " bytes, expected " + rawLen, -1, -1);
                }
                src.position(src.limit());
                dst.position(dst.position() + n);
            }

            @Override
            protected void release() {
                ctx.close();
            }
        };
    }

    @Override
    public String libraryVersion() {
        return "zstd-jni " + ZstdVersion.VERSION;
    }

    @Override
    public boolean isNative() {
        return true;
    }
}
