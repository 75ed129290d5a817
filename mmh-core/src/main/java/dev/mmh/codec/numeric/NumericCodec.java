package dev.mmh.codec.numeric;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.codec.rc.PureJavaCodec;

/**
 * Context-modelling codec for arrays of numbers (id 7, {@code numeric}): float32, float16 and bfloat16 weights,
 * 16-bit samples. Each little-endian element of 1, 2 or 4 bytes is split like {@link
 * dev.mmh.transform.BytePlanesTransform}: its top byte (optionally after rotating the top 16 bits left by one, so
 * the whole float32/bfloat16 exponent sits in it) and its second byte are entropy coded, the lower bytes, which are
 * noise in floats, are stored.
 *
 * <p>A block starts with its format byte:
 * <ul>
 *   <li>{@code 0x01}: {@link RansModel}, a static model per block (top byte under the mean exponent of the
 *       previous 32 elements or under the previous top byte, second byte under the top byte) coded with four
 *       interleaved rANS states. The usual format; layout in {@link RansModel} and docs/TRANSFORMS.md.
 *   <li>{@code 0x00}: {@link AdaptiveModel}, the adaptive bit-by-bit model: version {@code 0x00}, element size,
 *       flags (bit 0: rotate), context mask for the previous top byte, varint raw size, varint coded size, the
 *       range-coded top and second bytes, then the lower bytes plane by plane (next-highest first) and the tail.
 *       Used for blocks under 4 KiB and where a trial on two pieces says it beats the static model by 3% (16-bit
 *       images whose statistics drift); the smaller whole block is kept.
 *   <li>{@code 0x02}: stored.
 * </ul>
 * Varints are unsigned LEB128.
 *
 * <p>One level (1). Pure Java. Compressors and decompressors are not thread-safe.
 */
public final class NumericCodec extends PureJavaCodec {
    /** Archive id of this codec. */
    public static final int ID = dev.mmh.codec.Codecs.NUMERIC;

    public NumericCodec() {
        super(ID, "numeric");
    }
    /** Sample the adaptive format's layout choice is made on. */
    private static final int SAMPLE = 64 * 1024;
    /** Pieces (4 of 16 KiB, spread over the block) the static format's layout choice is made on. */
    private static final int PIECE = 16 * 1024;
    /** Below this a block uses the adaptive format (frequency tables would cost more than they save). */
    private static final int MIN_STATIC = 4096;
    /** From this size on, float layouts use format 03 (its 256 bytes of states are then noise). */
    static final int MIN_LANES = 64 * 1024;
    /** Adaptive-format layouts: element size, flags, context mask. */
    private static final int[][] LAYOUTS = {{4, 1, 0xFF}, {2, 1, 0xFF}, {2, 1, 0xF8}, {2, 0, 0x7C}, {1, 0, 0xFF}};
    /** Adaptive layout tried against the static format: 16-bit samples (where the adaptive model wins). */
    private static final int[] TRIAL_LAYOUT = {2, 0, 0x7C};
    private static final int STORED = 2;

    @Override
    public long maxCompressedLength(long rawLength) {
        return rawLength + rawLength / 64 + 64;
    }

    @Override
    public Compressor newCompressor(CodecParams params) {
        validate(params);
        AdaptiveModel adaptive = new AdaptiveModel();
        RansModel rans = new RansModel();
        LanesModel lanes = new LanesModel();
        return (src, srcOff, srcLen, dst, dstOff, dstLen) -> {
            int n = -1;
            if (srcLen >= MIN_STATIC) {
                int[] layout = pickStatic(rans, src, srcOff, srcLen);
                n = srcLen >= MIN_LANES && LanesModel.fits(layout)
                        ? lanes.encode(src, srcOff, srcLen, LanesModel.layoutFor(layout), dst, dstOff, dstOff + dstLen)
                        : rans.encode(src, srcOff, srcLen, layout, dst, dstOff, dstOff + dstLen);
                if (n < 0 || adaptiveLooksBetter(adaptive, src, srcOff, srcLen, n)) {
                    // the adaptive model wins where statistics drift within the block (16-bit images): when a
                    // piece of the block says so, code the whole block with it too and keep the smaller
                    byte[] alt = new byte[dstLen];
                    int m = adaptive.encode(src, srcOff, srcLen, pickAdaptive(adaptive, src, srcOff, srcLen),
                            alt, 0, dstLen);
                    if (m >= 0 && (n < 0 || m < n)) {
                        System.arraycopy(alt, 0, dst, dstOff, m);
                        n = m;
                    }
                }
            } else {
                n = adaptive.encode(src, srcOff, srcLen, pickAdaptive(adaptive, src, srcOff, srcLen),
                        dst, dstOff, dstOff + dstLen);
            }
            if (n < 0 || n > srcLen + 1) {
                if (dstLen < srcLen + 1) {
                    throw new java.io.IOException("numeric: destination too small");
                }
                dst[dstOff] = STORED;
                System.arraycopy(src, srcOff, dst, dstOff + 1, srcLen);
                n = srcLen + 1;
            }
            return n;
        };
    }

    /** The static-format layout with the smallest estimate on 4 pieces of the block. */
    static int[] pickStatic(RansModel m, byte[] src, int off, int len) {
        int[] best = RansModel.LAYOUTS[0];
        double bestBits = Double.MAX_VALUE;
        int pieces = len >= 4 * PIECE ? 4 : 1;
        int piece = Math.min(len, PIECE);
        for (int[] l : RansModel.LAYOUTS) {
            double bits = 0;
            for (int k = 0; k < pieces; k++) {
                int at = (int) ((long) (len - piece) * k / Math.max(1, pieces - 1)) & ~15;
                bits += m.estimate(src, off + at, piece, l);
            }
            if (bits < bestBits) {
                bestBits = bits;
                best = l;
            }
        }
        return best;
    }

    /**
     * Whether the adaptive format (layout of 16-bit samples), tried on two 16 KiB pieces of the block (at 1/4 and
     * 3/4), codes them at least 3% smaller than the static format coded the whole block, in proportion.
     */
    static boolean adaptiveLooksBetter(AdaptiveModel m, byte[] src, int off, int len, int staticSize) {
        int piece = Math.min(len / 2, PIECE);
        byte[] scratch = new byte[piece + piece / 64 + 64];
        long total = 0;
        for (int k = 1; k <= 3; k += 2) {
            int at = (int) ((long) len * k / 4 - piece / 2) & ~15;
            int size = m.encode(src, off + at, piece, TRIAL_LAYOUT, scratch, 0, scratch.length);
            total += size >= 0 ? size : piece;
        }
        return total < 0.97 * staticSize * (2.0 * piece) / len;
    }

    /** The adaptive-format layout that codes the first 64 KiB smallest. */
    private static int[] pickAdaptive(AdaptiveModel m, byte[] src, int off, int len) {
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
        AdaptiveModel adaptive = new AdaptiveModel();
        RansModel rans = new RansModel();
        LanesModel lanes = new LanesModel();
        return (src, srcOff, srcLen, dst, dstOff, rawLen) -> {
            if (srcLen < 1) {
                throw corrupt("numeric: empty block");
            }
            switch (src[srcOff]) {
                case 0:
                    adaptive.decode(src, srcOff, srcLen, dst, dstOff, rawLen);
                    break;
                case RansModel.VERSION:
                    rans.decode(src, srcOff, srcLen, dst, dstOff, rawLen);
                    break;
                case LanesModel.VERSION:
                    lanes.decode(src, srcOff, srcLen, dst, dstOff, rawLen);
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
        };
    }

    private static CorruptDataException corrupt(String why) {
        return new CorruptDataException(why, -1, -1);
    }
}
