package dev.mmh.recovery;

/** GF(2^8) arithmetic for tests, bit by bit, independent of the code's tables. */
final class ReedSolomonTestSupport {
    private ReedSolomonTestSupport() {}

    /** Carry-less multiply, then reduce by 0x11D. */
    static int mul(int a, int b) {
        int r = 0;
        for (int i = 0; i < 8; i++) {
            if ((b >>> i & 1) != 0) {
                r ^= a << i;
            }
        }
        for (int bit = 15; bit >= 8; bit--) {
            if ((r >>> bit & 1) != 0) {
                r ^= 0x11D << (bit - 8);
            }
        }
        return r;
    }
}
