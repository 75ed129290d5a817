package dev.mmh.codec.xz;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.AbstractCompressor;
import dev.mmh.codec.AbstractDecompressor;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.codec.LibraryVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import dev.mmh.io.NativeHandle;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.FinishableOutputStream;
import org.tukaani.xz.FinishableWrapperOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;

/**
 * LZMA2, the algorithm of xz, through XZ for Java ({@code org.tukaani:xz}, pure Java). Presets 0-9 as in
 * {@code xz -0..-9}; {@link CodecParams#EXTREME} gives the extreme variants ({@code -0e..-9e}) with the same
 * match-finder settings as liblzma. {@link CodecParams#windowLog()} (12..30), when set, replaces the preset's
 * dictionary size (XZ for Java caps it at 768 MiB).
 *
 * <p>Each block is a raw LZMA2 stream (chunks and end marker), not an .xz file: the .xz stream header, block header,
 * index and footer would add about 60 bytes per block and a second integrity check, and the container already
 * records the codec parameters and checksums every block. The encoder's dictionary is the preset's, capped at the
 * block's size (a larger one can never be used; xz itself does the same for small files). Matches never reach
 * further back than the start of the block, so the decoder needs no parameters: a dictionary of the block's known
 * raw size (at most {@link #MAX_DICT}, the largest an encoder can use) decodes any block. A block can be read with
 * {@code xz --format=raw --lzma2=dict=RAWSIZE -d}.
 *
 * <p>Blocks are decoded by the system's liblzma ({@link NativeXz}, {@code libmmhxz.so}) where it was built and
 * loads, else by XZ for Java, with the same checks and the same {@link CorruptDataException} on damaged input
 * (set {@code -Dmmh.xz.native=false} to keep to Java). Encoding is always XZ for Java, so the bytes written never
 * depend on the machine.
 *
 * <p>Compressors and Java decompressors keep an {@link ArrayCache}, so the dictionary and match-finder arrays are
 * allocated once per block size, not once per block; a native decompressor keeps liblzma's decoder and its
 * dictionary for the next block. What a decoder keeps is bounded ({@link #keepsDictionary}): at most the larger of
 * 8 MiB and twice the last block's dictionary. The decoder needs min(raw size, 1 GiB) plus about 64 KiB. Ranges
 * outside the arrays throw {@link IndexOutOfBoundsException}; compressors and decompressors throw
 * {@link IllegalStateException} after {@code close()}.
 */
public final class XzCodec implements Codec {
    /** Largest dictionary the encoder uses and so the decoder allocates: 2^{@link #MAX_WINDOW_LOG}. */
    public static final int MAX_DICT = 1 << 30;
    /** Smallest and largest accepted window log (dictionary of 2^windowLog bytes). */
    public static final int MIN_WINDOW_LOG = 12;
    public static final int MAX_WINDOW_LOG = 30;

    @Override
    public int id() {
        return Codecs.XZ;
    }

    @Override
    public String name() {
        return "xz";
    }

    @Override
    public int minLevel() {
        return 0;
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
        return 0;
    }

    /**
     * Incompressible data goes into uncompressed LZMA2 chunks of at most 64 KiB with a 3-byte header each; the end
     * marker is one byte. The bound adds headroom on top.
     */
    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength + 3 * ((rawLength + 65535) >> 16) + 64;
    }

    @Override
    public void validate(CodecParams params) {
        Codec.super.validate(params);
        int w = params.windowLog();
        if (w != 0 && (w < MIN_WINDOW_LOG || w > MAX_WINDOW_LOG)) {
            throw new IllegalArgumentException("xz window log must be " + MIN_WINDOW_LOG + ".." + MAX_WINDOW_LOG);
        }
    }

    /** The encoder options for a preset, with liblzma's extreme settings when asked. */
    static LZMA2Options options(CodecParams params) {
        try {
            LZMA2Options o = new LZMA2Options(params.level());
            if (params.has(CodecParams.EXTREME)) {
                int level = params.level();
                o.setMode(LZMA2Options.MODE_NORMAL);
                o.setMatchFinder(LZMA2Options.MF_BT4);
                boolean shallow = level == 3 || level == 5;
                o.setNiceLen(shallow ? 192 : LZMA2Options.NICE_LEN_MAX);
                o.setDepthLimit(shallow ? 0 : 512);
            }
            return o;
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz: " + e.getMessage(), e);
        }
    }

    /** The dictionary for a block of {@code rawLength} bytes: at most {@code limit} and the block, at least 4 KiB. */
    static int dictSize(int limit, long rawLength) {
        return (int) Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(limit, rawLength));
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        LZMA2Options o = options(params);
        int dict = params.windowLog() != 0 ? 1 << params.windowLog() : o.getDictSize();
        return new XzCompressor(o, Math.min(dict, LZMA2Options.DICT_SIZE_MAX));
    }

    /** The parameters are not needed (see the class comment), so a decoder is valid for any of them. */
    @Override
    public Decompressor newDecompressor(CodecParams params) {
        if (NativeXz.AVAILABLE) {
            NativeHandle handle = NativeXz.open();
            if (handle != null) {
                return new NativeDecompressor(handle);
            }
        }
        return new XzDecompressor();
    }

    /**
     * A dictionary up to this size is kept for any smaller block, by both decoders: the default block size, so
     * that an archive's shorter last block does not cost a new dictionary for the next archive's first one.
     */
    static final int KEEP_ALWAYS = 8 << 20;

    /**
     * Whether a decoder holding a dictionary of {@code held} bytes keeps it for a block that needs {@code need}:
     * when it is large enough and either at most {@link #KEEP_ALWAYS} or at most twice the need. Otherwise it is
     * freed and one of the block's size made, so a decoder holds at most max(8 MiB, twice the last block's
     * dictionary) between blocks, not the largest it ever decoded. (mmhxz.c's keep_dict is the same rule.)
     */
    static boolean keepsDictionary(long held, long need) {
        return held >= need && (held <= KEEP_ALWAYS || held / 2 <= need);
    }

    /** A decompressor that never uses liblzma (tests compare the two). */
    static Decompressor newJavaDecompressor() {
        return new XzDecompressor();
    }

    @Override
    public String libraryVersion() {
        String java = "XZ for Java " + LibraryVersion.of(LZMA2Options.class, "org.tukaani", "xz");
        return NativeXz.AVAILABLE ? java + " (encoder), liblzma " + NativeXz.LIBLZMA_VERSION + " (decoder)"
                : java + " (liblzma decoder not in use: " + NativeXz.loadError() + ")";
    }

    /** Whether blocks are decoded by liblzma; encoding is always pure Java. */
    @Override
    public boolean isNative() {
        return NativeXz.AVAILABLE;
    }

    private static final class XzCompressor extends AbstractCompressor {
        private final LZMA2Options preset;
        private final int dictLimit;
        private ArrayCache cache = new BasicArrayCache();
        private final ArraySink sink = new ArraySink();

        XzCompressor(LZMA2Options preset, int dictLimit) {
            super("xz");
            this.preset = preset;
            this.dictLimit = dictLimit;
        }

        @Override
        protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                throws IOException {
            LZMA2Options o = (LZMA2Options) preset.clone();
            o.setDictSize(dictSize(dictLimit, srcLen));
            sink.reset(dst, dstOff, dstLen);
            FinishableOutputStream out = o.getOutputStream(new FinishableWrapperOutputStream(sink), cache);
            try {
                out.write(src, srcOff, srcLen);
                out.finish();
            } finally {
                out.close(); // returns the arrays to the cache if finish() did not get there
            }
            return sink.written();
        }

        /** Lets the cached encoder arrays go. */
        @Override
        protected void release() {
            cache = null;
        }
    }

    /** Writes into a caller's array and fails, rather than grows, when it is full. */
    private static final class ArraySink extends OutputStream {
        private byte[] buf;
        private int start;
        private int pos;
        private int end;

        void reset(byte[] buf, int off, int len) {
            this.buf = buf;
            this.start = off;
            this.pos = off;
            this.end = off + len;
        }

        int written() {
            return pos - start;
        }

        @Override
        public void write(int b) throws IOException {
            if (pos == end) {
                throw full();
            }
            buf[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > end - pos) {
                throw full();
            }
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }

        private IOException full() {
            return new IOException("xz output does not fit in " + (end - start) + " bytes");
        }
    }

    static final class XzDecompressor extends AbstractDecompressor {
        private ArrayCache cache = new BasicArrayCache();
        /** The largest dictionary the cache may hold. */
        private long held;

        XzDecompressor() {
            super("xz");
        }

        /** The largest dictionary this decoder may hold between blocks (its cache keeps the arrays). */
        long dictionaryHeld() {
            return held;
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            int dict = dictSize(MAX_DICT, rawLen);
            if (!keepsDictionary(held, dict)) {
                if (held > dict) {
                    cache = new BasicArrayCache(); // lets the larger arrays go
                }
                held = dict;
            }
            ByteArrayInputStream bytes = new ByteArrayInputStream(src, srcOff, srcLen);
            InputStream in = null;
            try {
                LZMA2Options o = new LZMA2Options();
                o.setDictSize(dict);
                in = o.getInputStream(bytes, cache);
                int produced = 0;
                while (produced < rawLen) {
                    int n = in.read(dst, dstOff + produced, rawLen - produced);
                    if (n <= 0) {
                        throw corrupt("xz block ended after " + produced + " of " + rawLen + " bytes");
                    }
                    produced += n;
                }
                if (in.read() != -1) {
                    throw corrupt("xz block decodes to more than " + rawLen + " bytes");
                }
                if (bytes.available() != 0) {
                    throw corrupt("xz block has " + bytes.available() + " bytes after its end marker");
                }
            } catch (CorruptDataException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // CorruptedInputException, EOFException on truncation, and whatever else a damaged stream provokes
                throw new CorruptDataException("xz: malformed LZMA2 data (" + e + ")", -1, -1, e);
            } finally {
                if (in != null) {
                    in.close();
                }
            }
        }

        @Override
        protected void release() {
            cache = null;
        }
    }

    /**
     * Decodes through liblzma ({@link NativeXz}) with the Java decoder's checks and messages. The liblzma stream is
     * native memory in a {@link NativeHandle}: {@link #close()} frees it (at once, or when a decode still running
     * on another thread returns), a {@link java.lang.ref.Cleaner} frees it if a decompressor is dropped unclosed,
     * and a use after close throws {@link IllegalStateException}.
     */
    static final class NativeDecompressor extends AbstractDecompressor {
        private final NativeHandle handle;

        NativeDecompressor(NativeHandle handle) {
            super("xz");
            this.handle = handle;
        }

        /** The dictionary size liblzma holds for the next block. */
        long dictionaryHeld() {
            return NativeXz.dictHeld(handle);
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            int dict = dictSize(MAX_DICT, rawLen);
            int rc = NativeXz.decode(handle, src, srcOff, srcLen, dst, dstOff, rawLen, dict);
            if (rc == NativeXz.E_MEM) {
                // not damage: the machine could not give the decoder its dictionary (exit code 6, like the
                // JVM's own out-of-memory)
                throw new OutOfMemoryError("xz: liblzma could not allocate the " + dict
                        + "-byte dictionary for a block of " + rawLen + " bytes");
            }
            if (rc != 0) {
                throw failure(rc, srcLen, rawLen);
            }
        }

        private CorruptDataException failure(int rc, int srcLen, int rawLen) {
            long in = NativeXz.totalIn(handle);
            long out = NativeXz.totalOut(handle);
            switch (rc) {
                case NativeXz.E_SHORT:
                    return corrupt("xz block ended after " + out + " of " + rawLen + " bytes");
                case NativeXz.E_TRUNCATED:
                    return corrupt("xz block ended after " + out + " of " + rawLen + " bytes: its " + srcLen
                            + " bytes of LZMA2 data stop before the end marker");
                case NativeXz.E_LONG:
                    return corrupt("xz block decodes to more than " + rawLen + " bytes");
                case NativeXz.E_TRAILING:
                    return corrupt("xz block has " + (srcLen - in) + " bytes after its end marker");
                case NativeXz.E_DATA:
                    return corrupt("xz: malformed LZMA2 data (liblzma: data error at input byte " + in
                            + " of " + srcLen + ", after " + out + " of " + rawLen + " bytes)");
                case NativeXz.E_JNI:
                    return corrupt("xz: the JVM did not give liblzma the block's arrays");
                default:
                    return corrupt("xz: liblzma failed with code " + (NativeXz.E_OTHER - rc) + " after " + out
                            + " of " + rawLen + " bytes");
            }
        }

        @Override
        protected void release() {
            handle.close();
        }
    }

    private static CorruptDataException corrupt(String reason) {
        return new CorruptDataException(reason, -1, -1);
    }
}
