package dev.mmh.codec.rc;

/**
 * Binary arithmetic (range) encoder with 16-bit probabilities, carry propagation through a cached byte
 * (the scheme LZMA uses). Writes into a caller-owned array; the caller sizes it and checks {@link #overflowed()}.
 * Not thread-safe.
 */
public final class RangeEncoder {
    private byte[] out;
    private int pos;
    private int limit;
    private long low;
    private long range;
    private int cache;
    private long cacheSize;

    public void reset(byte[] out, int pos, int limit) {
        this.out = out;
        this.pos = pos;
        this.limit = limit;
        low = 0;
        range = 0xFFFFFFFFL;
        cache = 0;
        cacheSize = 1;
    }

    /** Whether the output ran out of room (the result is then unusable; the caller stores the block instead). */
    public boolean overflowed() {
        return pos > limit;
    }

    /** Encodes {@code bit} where {@code p1} (1..65535) is the probability, in 1/65536, that the bit is 1. */
    public void encode(int bit, int p1) {
        long bound = (range >>> 16) * p1;
        if (bit != 0) {
            range = bound;
        } else {
            low += bound;
            range -= bound;
        }
        while (range < (1L << 24)) {
            range <<= 8;
            shiftLow();
        }
    }

    private void shiftLow() {
        if (low < 0xFF000000L || low > 0xFFFFFFFFL) {
            int carry = (int) (low >>> 32);
            int c = cache;
            do {
                put(c + carry);
                c = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) (low >>> 24) & 0xFF;
        }
        cacheSize++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    private void put(int b) {
        if (pos < limit) {
            out[pos] = (byte) b;
        }
        pos++;
    }

    /** Flushes the coder; returns the position after the last byte written. */
    public int finish() {
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
        return pos;
    }
}
