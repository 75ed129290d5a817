package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.AbstractCompressor;
import dev.mmh.codec.AbstractDecompressor;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.codec.rc.PureJavaCodec;
import java.io.IOException;

/**
 * Context-modelling codec for arrays of numbers (id 7, {@code numeric}): float32, float16 and bfloat16 weights,
 * 16-bit samples. Each little-endian element of 1, 2 or 4 bytes is split like {@link
 * dev.mmh.transform.BytePlanesTransform}: its top byte (optionally after rotating the top 16 bits left by one, so
 * the whole float32/bfloat16 exponent sits in it) and its second byte are entropy coded, the lower bytes, which are
 * noise in floats, are stored.
 *
 * <p>A block starts with its format byte:
 * <ul>
 *   <li>{@code 0x03}: {@link LanesModel}, for floats (blocks of 64 KiB and more): format 01's static model with the
 *       top byte's context taken per group of 64 elements and the symbols in two streams of 64 rANS lanes each, so
 *       that the decoder runs 64 symbols at once (AVX-512). Layout in {@link LanesModel} and docs/TRANSFORMS.md.
 *   <li>{@code 0x01}: {@link RansModel}, a static model per block (top byte under the mean exponent of the
 *       previous 32 elements or under the previous top byte, second byte under the top byte) coded with four
 *       interleaved rANS states. Non-float data (16-bit samples, bytes) and small float blocks.
 *   <li>{@code 0x00}: {@link AdaptiveModel}, the adaptive bit-by-bit model: version {@code 0x00}, element size,
 *       flags (bit 0: rotate), context mask for the previous top byte, varint raw size, varint coded size, the
 *       range-coded top and second bytes, then the lower bytes plane by plane (next-highest first) and the tail.
 *       Used for blocks under 4 KiB and, for data that is not floats, where a trial on a sample says it beats the
 *       static model by 3% (16-bit images whose statistics drift); the smaller whole block is kept.
 *   <li>{@code 0x02}: stored.
 * </ul>
 * Varints are unsigned LEB128. The layout (element size, rotation, contexts) comes from {@link LayoutChooser}.
 *
 * <p>One level (1). Formats 01 and 03 run in C ({@link NativeRans}) where mmh-core's native library loaded
 * ({@code -Dmmh.numeric.native=false} keeps them in Java), with the same bytes either way; the rest is Java.
 * Compressors and decompressors are not thread-safe; each owns the native scratch of its C coder (allocated at its
 * first block, up to about 20 MB plus twice the block) and frees it in {@code close()}, after which it throws
 * {@link IllegalStateException}.
 */
public final class NumericCodec extends PureJavaCodec {
    /** Archive id of this codec. */
    public static final int ID = dev.mmh.codec.Codecs.NUMERIC;

    public NumericCodec() {
        super(ID, "numeric");
    }
    /** Sample the adaptive format's layout choice is made on. */
    private static final int SAMPLE = 64 * 1024;
    /** The adaptive trial's sample: pieces of 8 KiB from the middles of the block's quarters. */
    private static final int TRIAL_PIECES = 4;
    private static final int TRIAL_PIECE = 8 * 1024;
    /** Below this a block uses the adaptive format (frequency tables would cost more than they save). */
    private static final int MIN_STATIC = 4096;
    /** From this size on, float layouts use format 03 (its 256 bytes of states are then noise). */
    static final int MIN_LANES = 64 * 1024;
    /** Adaptive-format layouts: element size, flags, context mask. */
    private static final int[][] LAYOUTS = {{4, 1, 0xFF}, {2, 1, 0xFF}, {2, 1, 0xF8}, {2, 0, 0x7C}, {1, 0, 0xFF}};
    /** Adaptive layout tried against the static format: 16-bit samples (where the adaptive model wins). */
    private static final int[] TRIAL_LAYOUT = {2, 0, 0x7C};
    private static final int STORED = 2;

    /** Whether the static formats run in C ({@link NativeRans}). */
    @Override
    public boolean isNative() {
        return NativeRans.AVAILABLE;
    }

    @Override
    public String libraryVersion() {
        if (!NativeRans.AVAILABLE) {
            return BUILT_IN + " (" + NativeRans.loadError() + ")";
        }
        return BUILT_IN + ", mmh-core C coder" + (NativeRans.simd(2) == 1 ? " with AVX-512" : "");
    }

    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength + rawLength / 64 + 64;
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        return new NumericCompressor(true);
    }

    /** A compressor that never runs the C coder (tests compare the two; the bytes are the same). */
    static Compressor newJavaCompressor() {
        return new NumericCompressor(false);
    }

    /** A decompressor that never runs the C coder (tests compare the two). */
    static Decompressor newJavaDecompressor() {
        return new NumericDecompressor(false);
    }

    /** The codec's compressor: the models (sharing one native context) and the layout chooser, reused. */
    /** The models of one compressor or decompressor; the static ones share the C coder's scratch. */
    private static final class Models implements AutoCloseable {
        /** The C coder's scratch; null when the models code in Java. */
        private final NativeRans.Context context;
        final AdaptiveModel adaptive = new AdaptiveModel();
        final RansModel rans;
        final LanesModel lanes;

        Models(boolean allowNative) {
            context = allowNative && NativeRans.AVAILABLE ? new NativeRans.Context() : null;
            rans = new RansModel(context);
            lanes = new LanesModel(context);
        }

        /** Frees the native scratch. */
        @Override
        public void close() {
            if (context != null) {
                context.close();
            }
        }
    }

    private static final class NumericCompressor extends AbstractCompressor {
        private final Models models;
        private final LayoutChooser chooser;

        NumericCompressor(boolean allowNative) {
            super("numeric");
            models = new Models(allowNative);
            chooser = new LayoutChooser(allowNative);
        }

        @Override
        protected int compressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
                throws IOException {
            int n = -1;
            if (srcLen >= MIN_STATIC) {
                int[] layout = chooser.choose(src, srcOff, srcLen);
                // format 03 is for floats: on 16-bit images its group contexts cost up to 8% (Silesia mr)
                boolean floats = chooser.floats();
                n = srcLen >= MIN_LANES && floats && LanesModel.fits(layout)
                        ? models.lanes.encode(src, srcOff, srcLen, LanesModel.layoutFor(layout), dst, dstOff,
                                dstOff + dstLen)
                        : models.rans.encode(src, srcOff, srcLen, layout, dst, dstOff, dstOff + dstLen);
                if (n < 0 || (!floats && adaptiveLooksBetter(models.adaptive, src, srcOff, srcLen, n))) {
                    // the adaptive model wins where statistics drift within the block (16-bit images): when a
                    // sample of the block says so, code the whole block with it too and keep the smaller. Floats
                    // skip the trial: on weights it never wins (0.1% larger on the weight files) and costs 3-4 ms a
                    // block, a fifth of the static format's whole time
                    byte[] alt = new byte[dstLen];
                    int[] l = pickAdaptive(models.adaptive, src, srcOff, srcLen);
                    int m = models.adaptive.encode(src, srcOff, srcLen, l, alt, 0, dstLen);
                    if (m >= 0 && (n < 0 || m < n)) {
                        System.arraycopy(alt, 0, dst, dstOff, m);
                        n = m;
                    }
                }
            } else {
                n = models.adaptive.encode(src, srcOff, srcLen, pickAdaptive(models.adaptive, src, srcOff, srcLen),
                        dst, dstOff, dstOff + dstLen);
            }
            if (n < 0 || n > srcLen + 1) {
                if (dstLen < srcLen + 1) {
                    throw new IOException("numeric: destination too small");
                }
                dst[dstOff] = STORED;
                System.arraycopy(src, srcOff, dst, dstOff + 1, srcLen);
                n = srcLen + 1;
            }
            return n;
        }

        @Override
        protected void release() {
            models.close();
        }
    }

    /** The static-format layout with the smallest estimate (see {@link LayoutChooser}). */
    static int[] pickStatic(byte[] src, int off, int len) {
        return new LayoutChooser().choose(src, off, len);
    }

    /**
     * Whether the adaptive format (layout of 16-bit samples), tried on four pieces of 8 KiB from the middles of the
     * block's quarters coded as one stream, codes them at least 3% smaller than the static format coded the whole
     * block, in proportion. (One stream: the model learns once, as over a whole block. Two separately coded 16 KiB
     * pieces, as before, paid the learning twice on a small sample and kept Silesia's mr on the static format
     * where the adaptive one is 12% smaller.)
     */
    static boolean adaptiveLooksBetter(AdaptiveModel m, byte[] src, int off, int len, int staticSize) {
        int piece = Math.min(len / TRIAL_PIECES, TRIAL_PIECE) & ~15;
        if (piece == 0) {
            return true;
        }
        byte[] sample = new byte[TRIAL_PIECES * piece];
        for (int k = 0; k < TRIAL_PIECES; k++) {
            int at = (int) ((long) (len - piece) * (2 * k + 1) / (2 * TRIAL_PIECES)) & ~15;
            System.arraycopy(src, off + at, sample, k * piece, piece);
        }
        byte[] scratch = new byte[sample.length + sample.length / 64 + 64];
        int size = m.encode(sample, 0, sample.length, TRIAL_LAYOUT, scratch, 0, scratch.length);
        return size >= 0 && size < 0.97 * staticSize * sample.length / len;
    }

    /** The adaptive-format layout that codes the first 64 KiB smallest. */
    static int[] pickAdaptive(AdaptiveModel m, byte[] src, int off, int len) {
        int[] best = LAYOUTS[LAYOUTS.length - 1];
        if (len >= 64) {
            int sample = Math.min(len, SAMPLE);
            byte[] scratch = new byte[sample + sample / 64 + 64];
            long bestSize = Long.MAX_VALUE;
            for (int[] l : LAYOUTS) {
                long size = m.encode(src, off, sample, l, scratch, 0, scratch.length);
                if (size >= 0 && size < bestSize) {
                    bestSize = size;
                    best = l;
                }
            }
        }
        return best;
    }

    @Override
    public Decompressor newDecompressor(CodecParams params) {
        return new NumericDecompressor(true);
    }

    /** The codec's decompressor: the models, sharing one native context, reused. */
    private static final class NumericDecompressor extends AbstractDecompressor {
        private final Models models;

        NumericDecompressor(boolean allowNative) {
            super("numeric");
            models = new Models(allowNative);
        }

        @Override
        protected void decompressBlock(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rawLen)
                throws IOException {
            if (srcLen < 1) {
                throw corrupt("numeric: empty block");
            }
            switch (src[srcOff]) {
                case 0:
                    models.adaptive.decode(src, srcOff, srcLen, dst, dstOff, rawLen);
                    break;
                case RansModel.VERSION:
                    models.rans.decode(src, srcOff, srcLen, dst, dstOff, rawLen);
                    break;
                case LanesModel.VERSION:
                    models.lanes.decode(src, srcOff, srcLen, dst, dstOff, rawLen);
                    break;
                case STORED:
                    if (srcLen - 1 != rawLen) {
                        throw corrupt("numeric: stored block size disagrees with the expected " + rawLen);
                    }
                    System.arraycopy(src, srcOff + 1, dst, dstOff, rawLen);
                    break;
                default:
                    throw corrupt("numeric: unknown block format " + (src[srcOff] & 0xFF));
            }
        }

        @Override
        protected void release() {
            models.close();
        }
    }

    private static CorruptDataException corrupt(String why) {
        return new CorruptDataException(why, -1, -1);
    }
}
