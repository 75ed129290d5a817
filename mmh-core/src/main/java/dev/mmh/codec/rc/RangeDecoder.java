package dev.mmh.codec.rc;

/**
 * Decoder for {@link RangeEncoder}. Reading past the end of its input yields zero bytes and is counted, so a
 * damaged stream ends in garbage (caught by {@link #exhausted()} and the container's checksum), never in an
 * exception or a hang. Not thread-safe.
 */
public final class RangeDecoder {
    private byte[] in;
    private int pos;
    private int end;
    private int overrun;
    private long range;
    private long code;

    public void reset(byte[] in, int pos, int end) {
        this.in = in;
        this.pos = pos;
        this.end = end;
        overrun = 0;
        range = 0xFFFFFFFFL;
        code = 0;
        for (int i = 0; i < 5; i++) {
            code = ((code << 8) | next()) & 0xFFFFFFFFL;
        }
    }

    private int next() {
        if (pos < end) {
            return in[pos++] & 0xFF;
        }
        overrun++;
        return 0;
    }

    /** Whether the decoder read more than the few bytes of slack a finished stream has. */
    public boolean exhausted() {
        return overrun > 4;
    }

    /** Decodes one bit whose probability of being 1 is {@code p1}/65536. */
    public int decode(int p1) {
        long bound = (range >>> 16) * p1;
        long diff = code - bound;
        int bit = (int) (diff >>> 63); // 1 when code < bound; branch-free because the bit is unpredictable
        long keep = bit - 1L; // all ones when the bit is 0
        range = (bound & ~keep) | ((range - bound) & keep);
        code = (code & ~keep) | (diff & keep);
        while (range < (1L << 24)) {
            range <<= 8;
            code = ((code << 8) | next()) & 0xFFFFFFFFL;
        }
        return bit;
    }
}
