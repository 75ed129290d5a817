package dev.mmh.codec.bwt;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.AbstractCompressor;
import dev.mmh.codec.AbstractDecompressor;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.codec.rc.PureJavaCodec;
import dev.mmh.codec.rc.Varints;
import dev.mmh.io.NativeHandle;
import java.io.IOException;

/**
 * Block-sorting codec (id 6, {@code bwt}): Burrows-Wheeler transform by SA-IS suffix sorting, then move-to-front
 * ranks and zero runs coded by an adaptive binary range coder. Strongest on text, source code and markup, where
 * it beats LZ codecs by sorting every context of the whole block together. Compression is pure Java; blocks are
 * decoded by {@link NativeBwt} (C, same output) where mmh-core's native library loaded, else in Java.
 *
 * <p>Block layout: {@code 0x00} (format), varint raw size, varint chunk size (at most 16 MiB - 1), then one
 * record per chunk:
 * {@code 0x00} and the bytes stored, or {@code 0x01}, varint primary index, varint chain step, the row of the
 * suffix at every further multiple of the step (varints), varint coded size and the range-coded ranks.
 * Varints are unsigned LEB128.
 *
 * <p>Memory: compression about 9 bytes per input byte of a chunk, decompression about 5 (in native memory owned
 * by the decompressor when the native decoder runs: allocated at its first block, freed by {@code close()}). One
 * level (1). Compressors and decompressors are not thread-safe and keep their buffers between blocks; after
 * {@code close()} they throw {@link IllegalStateException}.
 */
public final class BwtCodec extends PureJavaCodec {
    /** Archive id of this codec. */
    public static final int ID = dev.mmh.codec.Codecs.BWT;

    public BwtCodec() {
        super(ID, "bwt");
    }
    private static final int STORED = 0;
    private static final int SORTED = 1;
    private static final int CHAINS = Bwt.CHAINS;
    private static final int MAX_CHAINS = 1024;
    private static final int MIN_CHUNK = 4096;

    @Override
    public long maxCompressedLength(long rawLength) {
        return maxCoded(rawLength);
    }

    static long maxCoded(long rawLength) {
        // a chunk attempt writes at most its header (< 90 bytes) and its size; chunks are >= MIN_CHUNK bytes
        return rawLength + rawLength / 32 + 128;
    }

    @Override
    public String libraryVersion() {
        String why = NativeBwt.loadError();
        return BUILT_IN + (why == null ? " (decoder in C, encoder in Java)" : " (Java decoder: " + why + ")");
    }

    @Override
    public boolean isNative() {
        return NativeBwt.AVAILABLE;
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        return new BwtCompressor(Bwt.MAX_CHUNK);
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        return new BwtDecompressor(true);
    }

    /** A decompressor that never uses the native decoder (tests compare the two). */
    static Decompressor newJavaDecompressor() {
        return new BwtDecompressor(false);
    }

    static int chainStep(int m) {
        return m < 65536 ? Math.max(1, m) : (m + CHAINS - 1) / CHAINS;
    }

    /** A compressor that cuts blocks into chunks of {@code chunk} bytes (tests use small ones). */
    static Compressor newCompressor(int chunk) {
        return new BwtCompressor(chunk);
    }

    private static final class BwtCompressor extends AbstractCompressor {
        private final int chunkSize;
        private final Bwt bwt = new Bwt();
        private final RankCoder coder = new RankCoder();
        private byte[] sorted = new byte[0];

        BwtCompressor(int chunkSize) {
            super("bwt");
            if (chunkSize < MIN_CHUNK || chunkSize > Bwt.MAX_CHUNK) {
                throw new IllegalArgumentException("chunk size " + chunkSize);
            }
            this.chunkSize = chunkSize;
        }

        @Override
        protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                throws IOException {
            if (dstLen < maxCoded(srcLen)) {
                // the stored fallback of a chunk needs its whole bound
                throw new IOException("bwt: " + dstLen + " bytes of room, below the bound " + maxCoded(srcLen));
            }
            int o = dstOff;
            dst[o++] = 0;
            o = Varints.put(dst, o, srcLen);
            o = Varints.put(dst, o, chunkSize);
            for (int done = 0; done < srcLen; ) {
                int m = Math.min(chunkSize, srcLen - done);
                o = chunk(src, srcOff + done, m, dst, o, dstOff + dstLen);
                done += m;
            }
            return o - dstOff;
        }

        private int chunk(byte[] src, int off, int m, byte[] dst, int o, int limit) {
            if (sorted.length < m) {
                sorted = new byte[m];
            }
            int step = chainStep(m);
            int[] rows = new int[(m + step - 1) / step - 1];
            int primary = bwt.forward(src, off, m, sorted, 0, step, rows);
            int h = o;
            dst[h++] = SORTED;
            h = Varints.put(dst, h, primary);
            h = Varints.put(dst, h, step);
            for (int r : rows) {
                h = Varints.put(dst, h, r);
            }
            // the coded size goes before the data: reserve the largest varint, then move the data if shorter
            int data = h + 5;
            int end = coder.encode(sorted, 0, m, dst, data, Math.min(limit, data + m));
            if (end < 0 || end - o >= m + 1) {
                dst[o] = STORED;
                System.arraycopy(src, off, dst, o + 1, m);
                return o + 1 + m;
            }
            int len = end - data;
            int at = Varints.put(dst, h, len);
            System.arraycopy(dst, data, dst, at, len);
            return at + len;
        }

        @Override
        protected void release() {
            bwt.trim();
            sorted = new byte[0];
        }
    }

    private static final class BwtDecompressor extends AbstractDecompressor {
        private final boolean useNative;
        private final RankCoder coder = new RankCoder();
        private byte[] sorted = new byte[0];
        private int[] table = new int[0];
        private final int[] count = new int[256];
        private int in;
        private int inEnd;
        private byte[] src;
        private final int[] cursor = new int[1];
        /** The native decoder's context (its scratch memory), made at the first block it decodes. */
        private NativeHandle context;

        BwtDecompressor(boolean allowNative) {
            super("bwt");
            useNative = allowNative && NativeBwt.AVAILABLE;
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws CorruptDataException {
            if (useNative && decodeNatively(src, srcOff, srcLen, dst, dstOff, rawLen)) {
                return;
            }
            // the Java decoder; after a native failure it finds the same damage and names it
            decodeInJava(src, srcOff, srcLen, dst, dstOff, rawLen);
        }

        /** True once the native decoder has decoded the block; false if the block is damaged or out of its reach. */
        private boolean decodeNatively(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen) {
            if (context == null) {
                context = NativeBwt.open();
                if (context == null) {
                    return false;
                }
            }
            // enough for any valid block of this raw size, whatever its coded size
            long roomy = NativeBwt.scratchSize((int) Math.min(Integer.MAX_VALUE, maxCoded(rawLen)), rawLen);
            return NativeBwt.decode(context, src, srcOff, srcLen, dst, dstOff, rawLen, roomy) == 0;
        }

        private void decodeInJava(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws CorruptDataException {
            this.src = src;
            in = srcOff;
            inEnd = srcOff + srcLen;
            if (srcLen < 2 || src[in++] != 0) {
                throw corrupt("bwt: unknown block format");
            }
            if (varint() != rawLen) {
                throw corrupt("bwt: block size disagrees with the expected " + rawLen);
            }
            int chunkSize = varint();
            if (chunkSize < 1 || chunkSize > Bwt.MAX_CHUNK) {
                throw corrupt("bwt: chunk size " + chunkSize + " out of range");
            }
            for (int done = 0; done < rawLen; ) {
                int m = Math.min(chunkSize, rawLen - done);
                chunk(dst, dstOff + done, m);
                done += m;
            }
            if (in != inEnd) {
                throw corrupt("bwt: " + (inEnd - in) + " bytes after the block");
            }
        }

        private void chunk(byte[] dst, int dstOff, int m) throws CorruptDataException {
            if (in >= inEnd) {
                throw corrupt("bwt: truncated block");
            }
            int mode = src[in++];
            if (mode == STORED) {
                if (inEnd - in < m) {
                    throw corrupt("bwt: truncated stored chunk");
                }
                System.arraycopy(src, in, dst, dstOff, m);
                in += m;
                return;
            }
            if (mode != SORTED) {
                throw corrupt("bwt: unknown chunk mode " + mode);
            }
            int primary = varint();
            int step = varint();
            if (primary > m || step < 1 || step > m || (m + (long) step - 1) / step > MAX_CHAINS) {
                throw corrupt("bwt: bad primary index or chain step");
            }
            int[] rows = new int[(m + step - 1) / step - 1];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = varint();
                if (rows[k] > m) {
                    throw corrupt("bwt: chain row out of range");
                }
            }
            int len = varint();
            if (len > inEnd - in) {
                throw corrupt("bwt: coded chunk runs past the block");
            }
            if (sorted.length < m) {
                sorted = new byte[m];
                table = new int[m + 1];
            }
            if (!coder.decode(src, in, in + len, sorted, 0, m, count)) {
                throw corrupt("bwt: damaged coded data");
            }
            in += len;
            Bwt.inverse(sorted, 0, m, primary, step, rows, dst, dstOff, table, count);
        }

        private int varint() throws CorruptDataException {
            cursor[0] = in;
            int v = Varints.get(src, cursor, inEnd, "bwt header");
            in = cursor[0];
            return v;
        }

        private static CorruptDataException corrupt(String why) {
            return new CorruptDataException(why, -1, -1);
        }

        /** Frees the native scratch (at once, or when a call still running on another thread returns). */
        @Override
        protected void release() {
            sorted = new byte[0];
            table = new int[0];
            src = null;
            if (context != null) {
                context.close();
            }
        }
    }
}
