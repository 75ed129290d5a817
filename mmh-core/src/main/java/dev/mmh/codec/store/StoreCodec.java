package dev.mmh.codec.store;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.AbstractCompressor;
import dev.mmh.codec.AbstractDecompressor;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import java.io.IOException;

/** Stores bytes as they are: for incompressible data, and the fallback when a codec would expand a block. */
public final class StoreCodec implements Codec {
    /** Store is part of mmh; its format (the raw bytes) has one version. */
    private static final String VERSION = "1";

    @Override
    public int id() {
        return Codecs.STORE;
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public int minLevel() {
        return 0;
    }

    @Override
    public int maxLevel() {
        return 0;
    }

    @Override
    public int defaultLevel() {
        return 0;
    }

    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength;
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        return new AbstractCompressor(name()) {
            @Override
            protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                    throws IOException {
                if (dstLen < srcLen) {
                    throw new IOException("store: " + dstLen + " bytes of room for a block of " + srcLen);
                }
                System.arraycopy(src, srcOff, dst, dstOff, srcLen);
                return srcLen;
            }
        };
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        return new AbstractDecompressor(name()) {
            @Override
            protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                    throws CorruptDataException {
                if (srcLen != rawLen) {
                    throw new CorruptDataException("stored block holds " + srcLen + " bytes, expected " + rawLen, -1,
                            -1);
                }
                System.arraycopy(src, srcOff, dst, dstOff, srcLen);
            }
        };
    }

    @Override
    public String libraryVersion() {
        return "mmh built-in " + VERSION;
    }

    @Override
    public boolean isNative() {
        return false;
    }
}
