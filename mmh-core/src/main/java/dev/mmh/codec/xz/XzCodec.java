package dev.mmh.codec.xz;

import dev.mmh.CorruptDataException;
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
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;
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
 * largest dictionary for the next block. The decoder needs min(raw size, 1 GiB) plus about 64 KiB.
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
            long handle = NativeXz.open();
            if (handle != 0) {
                return new NativeDecompressor(handle);
            }
        }
        return new XzDecompressor();
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

    private static final class XzCompressor implements Compressor {
        private final LZMA2Options preset;
        private final int dictLimit;
        private final ArrayCache cache = new BasicArrayCache();
        private final ArraySink sink = new ArraySink();

        XzCompressor(LZMA2Options preset, int dictLimit) {
            this.preset = preset;
            this.dictLimit = dictLimit;
        }

        @Override
        public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
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

    private static final class XzDecompressor implements Decompressor {
        private final ArrayCache cache = new BasicArrayCache();

        @Override
        public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            int dict = dictSize(MAX_DICT, rawLen);
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
    }

    /**
     * Decodes through liblzma ({@link NativeXz}) with the Java decoder's checks and messages. The liblzma stream is
     * native memory: {@link #close()} frees it (the engine's {@code Contexts} closes every decompressor it made),
     * and a {@link Cleaner} frees it if a decompressor is dropped unclosed.
     */
    private static final class NativeDecompressor implements Decompressor {
        private final Handle handle;
        private final Cleaner.Cleanable cleanable;
        private XzDecompressor closed;

        NativeDecompressor(long h) {
            handle = new Handle(h);
            cleanable = Cleanup.CLEANER.register(this, handle);
        }

        @Override
        public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            long h = handle.address;
            if (h == 0) { // closed: the Java decoder, which needs no closing, keeps the decompressor usable
                if (closed == null) {
                    closed = new XzDecompressor();
                }
                closed.decompress(src, srcOff, srcLen, dst, dstOff, rawLen);
                return;
            }
            try { // before native code could reach out of range; the Java decoder too reports it so
                Objects.checkFromIndexSize(srcOff, srcLen, src.length);
                Objects.checkFromIndexSize(dstOff, rawLen, dst.length);
            } catch (IndexOutOfBoundsException e) {
                throw new CorruptDataException("xz: malformed LZMA2 data (" + e + ")", -1, -1, e);
            }
            int rc;
            try {
                rc = NativeXz.decode(h, src, srcOff, srcLen, dst, dstOff, rawLen, dictSize(MAX_DICT, rawLen));
                if (rc == NativeXz.E_MEM) {
                    // not damage: the machine could not give the decoder its dictionary (exit code 6, like the
                    // JVM's own out-of-memory)
                    throw new OutOfMemoryError("xz: liblzma could not allocate the " + dictSize(MAX_DICT, rawLen)
                            + "-byte dictionary for a block of " + rawLen + " bytes");
                }
                if (rc != 0) {
                    throw failure(rc, h, srcLen, rawLen);
                }
            } finally {
                Reference.reachabilityFence(this); // the Cleaner must not free the stream during the call
            }
        }

        private static CorruptDataException failure(int rc, long h, int srcLen, int rawLen) {
            long in = NativeXz.totalIn(h);
            long out = NativeXz.totalOut(h);
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
        public void close() {
            cleanable.clean();
        }
    }

    /** The native stream's address; run once, by close() or the Cleaner. Holds no reference to its decompressor. */
    private static final class Handle implements Runnable {
        volatile long address;

        Handle(long address) {
            this.address = address;
        }

        @Override
        public void run() {
            long a = address;
            address = 0;
            if (a != 0) {
                NativeXz.close(a);
            }
        }
    }

    /** The Cleaner thread, started with the first native decompressor. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private static CorruptDataException corrupt(String reason) {
        return new CorruptDataException(reason, -1, -1);
    }
}
