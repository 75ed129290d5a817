package dev.mmh.codec.brotli;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.encoder.EncoderJNI;
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

/**
 * Brotli (RFC 7932) through brotli4j's JNI binding of Google's C library. Qualities 0-11; each block is one
 * complete brotli stream. The window (lgwin) is the smallest that holds the whole block (2^lgwin - 16 bytes,
 * 10..24), so small blocks need little memory, or {@link CodecParams#windowLog()} when it is set (10..24).
 *
 * <p>The default quality is 6: qualities 10-11 use brotli's optimal parsing and run at about 1 MB/s, several
 * hundred times slower than 6 for a few percent of size; 5-6 is where brotli already beats gzip -9 on size at a
 * speed close to gzip -6, which is the usual choice for a general-purpose default (the {@code brotli} command's
 * own default of 11 is meant for compress-once web assets).
 *
 * <p>brotli4j has no way to reset an encoder or decoder for a new stream (neither has the C API), so a native
 * state is created and destroyed for each block; the compressor and decompressor objects themselves are reused.
 * Input reaches the native side through a bounded buffer of {@value #CHUNK} bytes, so native memory per call is
 * the brotli state plus that buffer. The decoder writes straight into the caller's buffer and never produces more
 * than the expected number of bytes; its own ring buffer is bounded by the 16 MiB window limit, because brotli's
 * large-window extension is off.
 */
public final class BrotliCodec implements Codec {
    /** Smallest and largest window log of standard brotli. */
    public static final int MIN_WINDOW_LOG = 10;
    public static final int MAX_WINDOW_LOG = 24;
    /** Bytes handed to the native side per call. */
    static final int CHUNK = 256 * 1024;

    /**
     * Loads the native library on first use, not when the registry is built: every mmh run lists all codecs,
     * and unpacking brotli's library would cost each run start-up time.
     *
     * @throws UnsatisfiedLinkError if brotli4j has no native library for this platform
     */
    static void load() {
        Brotli4jLoader.ensureAvailability();
    }

    @Override
    public int id() {
        return Codecs.BROTLI;
    }

    @Override
    public String name() {
        return "brotli";
    }

    @Override
    public int minLevel() {
        return 0;
    }

    @Override
    public int maxLevel() {
        return 11;
    }

    @Override
    public int defaultLevel() {
        return 6;
    }

    /** Quality 1 rather than 0: about as fast, noticeably smaller output (like zstd's and gzip's --fast). */
    @Override
    public int fastLevel() {
        return 1;
    }

    /**
     * BrotliEncoderMaxCompressedSize (input plus 4 bytes per 16 KiB of uncompressed meta-blocks and 6 bytes of
     * stream overhead) with extra headroom, since the streaming encoder that brotli4j exposes makes no promise of
     * that exact bound.
     */
    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength + 8 * (rawLength >> 14) + 64;
    }

    @Override
    public void validate(CodecParams params) {
        Codec.super.validate(params);
        int w = params.windowLog();
        if (w != 0 && (w < MIN_WINDOW_LOG || w > MAX_WINDOW_LOG)) {
            throw new IllegalArgumentException("brotli window log must be " + MIN_WINDOW_LOG + ".." + MAX_WINDOW_LOG);
        }
    }

    /** The smallest standard window that holds {@code length} bytes (a window holds 2^lgwin - 16 bytes). */
    public static int windowLogFor(long length) {
        int w = MIN_WINDOW_LOG;
        while (w < MAX_WINDOW_LOG && (1L << w) - 16 < length) {
            w++;
        }
        return w;
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        load();
        return new BrotliCompressor(params.level(), params.windowLog());
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        load();
        return new BrotliDecompressor();
    }

    @Override
    public String libraryVersion() {
        return "brotli4j " + LibraryVersion.of(Brotli4jLoader.class, "com.aayushatharva.brotli4j", "brotli4j");
    }

    @Override
    public boolean isNative() {
        return Brotli4jLoader.isAvailable();
    }

    private static final class BrotliCompressor extends AbstractCompressor {
        private final int quality;
        private final int windowLog;

        BrotliCompressor(int quality, int windowLog) {
            super("brotli");
            this.quality = quality;
            this.windowLog = windowLog;
        }

        @Override
        protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                throws IOException {
            int lgwin = windowLog != 0 ? windowLog : windowLogFor(srcLen);
            EncoderJNI.Wrapper enc = new EncoderJNI.Wrapper(Math.max(1, Math.min(CHUNK, srcLen)), quality, lgwin, null);
            try {
                ByteBuffer in = enc.getInputBuffer();
                int read = 0;
                int written = 0;
                EncoderJNI.Operation op = EncoderJNI.Operation.PROCESS;
                while (true) {
                    if (!enc.isSuccess()) {
                        throw new IOException("brotli encoder failed");
                    } else if (enc.hasMoreOutput()) {
                        ByteBuffer out = enc.pull();
                        int n = out.remaining();
                        if (n > dstLen - written) {
                            throw new IOException("brotli output does not fit in " + dstLen + " bytes");
                        }
                        out.get(dst, dstOff + written, n);
                        written += n;
                    } else if (enc.hasRemainingInput()) {
                        enc.push(op, 0);
                    } else if (read < srcLen) {
                        int n = Math.min(in.capacity(), srcLen - read);
                        in.clear();
                        in.put(src, srcOff + read, n);
                        read += n;
                        op = read == srcLen ? EncoderJNI.Operation.FINISH : EncoderJNI.Operation.PROCESS;
                        enc.push(op, n);
                    } else if (!enc.isFinished()) {
                        op = EncoderJNI.Operation.FINISH;
                        enc.push(op, 0);
                    } else {
                        return written;
                    }
                }
            } finally {
                enc.destroy();
            }
        }
    }

    private static final class BrotliDecompressor extends AbstractDecompressor {
        BrotliDecompressor() {
            super("brotli");
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            DecoderJNI.Wrapper dec = new DecoderJNI.Wrapper(Math.max(1, Math.min(CHUNK, srcLen)));
            try {
                ByteBuffer in = dec.getInputBuffer();
                int read = 0;
                int produced = 0;
                int idle = 0;
                boolean pushedLast = false;
                while (true) {
                    int progress = read + produced;
                    switch (dec.getStatus()) {
                        case NEEDS_MORE_INPUT:
                            if (read < srcLen) {
                                int n = Math.min(in.capacity(), srcLen - read);
                                in.clear();
                                in.put(src, srcOff + read, n);
                                read += n;
                                dec.push(n);
                            } else if (!pushedLast) {
                                // after a pull, brotli4j reports "needs input" whenever its input buffer is empty,
                                // even if the decoder has work left; only the decoder's own answer counts
                                dec.push(0);
                            } else {
                                throw corrupt("brotli block is truncated after " + produced + " of " + rawLen
                                        + " bytes");
                            }
                            pushedLast = true;
                            break;
                        case OK:
                            dec.push(0);
                            pushedLast = true;
                            break;
                        case NEEDS_MORE_OUTPUT:
                            if (produced == rawLen) {
                                throw corrupt("brotli block decodes to more than " + rawLen + " bytes");
                            }
                            ByteBuffer out = dec.pull(rawLen - produced);
                            int m = out.remaining();
                            out.get(dst, dstOff + produced, m);
                            produced += m;
                            pushedLast = false;
                            break;
                        case DONE:
                            if (dec.hasOutput()) {
                                throw corrupt("brotli decoder finished with output left over");
                            }
                            if (read != srcLen) {
                                throw corrupt("brotli block has " + (srcLen - read) + " bytes after its end");
                            }
                            if (produced != rawLen) {
                                throw corrupt("brotli block decoded to " + produced + " bytes, expected " + rawLen);
                            }
                            return;
                        default:
                            throw corrupt("brotli block is malformed after " + produced + " decoded bytes");
                    }
                    // a state machine that neither reads nor writes several times in a row is stuck
                    idle = read + produced == progress ? idle + 1 : 0;
                    if (idle > 1000) {
                        throw corrupt("brotli decoder made no progress");
                    }
                }
            } catch (IllegalStateException e) {
                throw new CorruptDataException("brotli: " + e.getMessage(), -1, -1, e);
            } finally {
                dec.destroy();
            }
        }
    }

    private static CorruptDataException corrupt(String reason) {
        return new CorruptDataException(reason, -1, -1);
    }
}
