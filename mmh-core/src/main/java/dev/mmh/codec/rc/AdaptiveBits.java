package dev.mmh.codec.rc;

import java.util.Arrays;

/**
 * A table of adaptive bit probabilities indexed by context, each the average of a fast estimate (adapts within
 * about 16 events) and a slow one (about 128 events), coded through {@link RangeEncoder}/{@link RangeDecoder}.
 * Not thread-safe; {@link #reset()} before each independent stream.
 */
public final class AdaptiveBits {
    /** Per context: the fast estimate at 2*ctx, the slow one at 2*ctx+1, in 1/65536. */
    private final int[] prob;

    /** A table of {@code contexts} probabilities, all starting at 1/2. */
    public AdaptiveBits(int contexts) {
        prob = new int[2 * contexts];
        reset();
    }

    /** Sets every probability back to 1/2. */
    public void reset() {
        Arrays.fill(prob, 1 << 15);
    }

    /** Encodes {@code bit} (0 or 1) under context {@code ctx} and adapts; returns the bit. */
    public int encode(RangeEncoder rc, int ctx, int bit) {
        int i = ctx << 1;
        rc.encode(bit, (prob[i] + prob[i + 1]) >>> 1);
        update(i, bit);
        return bit;
    }

    /** Decodes a bit under context {@code ctx} and adapts. */
    public int decode(RangeDecoder rc, int ctx) {
        int i = ctx << 1;
        int bit = rc.decode((prob[i] + prob[i + 1]) >>> 1);
        update(i, bit);
        return bit;
    }

    private void update(int i, int bit) {
        // moving towards 32 or 65504 keeps both estimates within 32..65489: p never reaches 0 or 65536
        int target = 32 + bit * (65536 - 64);
        prob[i] += (target - prob[i]) >> 4;
        prob[i + 1] += (target - prob[i + 1]) >> 7;
    }
}
