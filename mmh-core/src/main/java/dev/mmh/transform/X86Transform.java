package dev.mmh.transform;

/**
 * Transform id 4: the x86 branch converter (BCJ). The 32-bit relative operand of each {@code E8} (call) and
 * {@code E9} (jmp) opcode whose top byte is 0x00 or 0xFF (a displacement within ±16 MiB) is replaced by the
 * absolute target {@code operand + position + 5}, kept within the same 25-bit signed range. Calls to the same
 * function then carry the same bytes, which LZ and BWT codecs find as repeats.
 *
 * <p>The mapping is a bijection on 25-bit values, and the decoder sees the same opcodes and the same "top byte is
 * 0x00 or 0xFF" condition as the encoder, so any input, code or not, round-trips exactly: an opcode that is left
 * unconverted makes the next three positions ineligible, because their operands would overlap its top byte. Positions are relative
 * to the start of the block. Param must be 0. Output size = input size.
 */
public final class X86Transform extends SameSizeTransform {
    @Override
    public int id() {
        return Transforms.X86;
    }

    @Override
    public String name() {
        return "x86";
    }

    @Override
    boolean valid(int param) {
        return param == 0;
    }

    @Override
    void forward(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
        convert(dst, dstOff, n, true);
    }

    @Override
    void inverse(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int param) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
        convert(dst, dstOff, n, false);
    }

    /**
     * Undoes the transform over a window of a block, in place: {@code b[off, off + len)} holds the block's
     * transformed bytes at block positions {@code [position, position + len)}, of a block of {@code blockLength}
     * bytes. Returns the index in {@code b} from which the window now holds exactly what {@link #decode} of the
     * whole block gives, up to {@code off + len - 4} (to the window's end if it is the block's end); the bytes before
     * it are left in an undefined state.
     *
     * <p>The decode starts at the window's first position that follows four bytes holding neither {@code E8} nor
     * {@code E9} (or at the block's start): no operand can cover such a position and no unconverted opcode before
     * it can block a later one, so every decision from there on is the whole decode's. A read of a few bytes of a
     * large block then costs a few bytes, not the block. Returns {@code off + len} when the window has no such
     * position (the caller takes a longer window).
     */
    public static int inverseWindow(byte[] b, int off, int len, long position, long blockLength) {
        if (off < 0 || len < 0 || off + len > b.length || position < 0 || position + len > blockLength) {
            throw new IllegalArgumentException("window " + off + "+" + len + " at " + position + " of a block of "
                    + blockLength);
        }
        int start = off + len;
        if (position == 0) {
            start = off;
        } else {
            for (int i = off, run = 0; i < off + len; i++) {
                run = (b[i] & 0xFE) == 0xE8 ? 0 : run + 1;
                if (run == 4) {
                    start = i + 1; // b[i - 3, i] holds no opcode
                    break;
                }
            }
        }
        // positions whose five bytes lie in the window and in the block
        int last = (int) Math.min(off + len - 5, off + (blockLength - 5 - position));
        convert(b, off - position, start, last, false);
        return start;
    }

    private static void convert(byte[] b, int off, int len, boolean encode) {
        convert(b, off, off, off + len - 5, encode);
    }

    /**
     * Converts the opcodes at indexes {@code [start, end]} of {@code b}, where index {@code base} is the block's
     * position 0 (it may lie before the array: a window), deciding afresh from {@code start}.
     */
    private static void convert(byte[] b, long base, int start, int end, boolean encode) {
        int i = start;
        // an opcode left unconverted blocks the next three: their operands would overlap its top byte, and the
        // decoder must see that byte exactly as the encoder did
        int unconverted = start - 4;
        while (i <= end) {
            int op = b[i] & 0xFF;
            if ((op & 0xFE) != 0xE8) {
                i++;
                continue;
            }
            int top = b[i + 4] & 0xFF;
            if ((top != 0 && top != 0xFF) || i - unconverted <= 3) {
                unconverted = i;
                i++;
                continue;
            }
            int v = (b[i + 1] & 0xFF) | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF) << 16 | top << 24;
            int pos = (int) (i - base + 5);
            v = encode ? v + pos : v - pos;
            v = (v << 7) >> 7; // back into the 25-bit signed range: top byte 0x00 or 0xFF again
            b[i + 1] = (byte) v;
            b[i + 2] = (byte) (v >>> 8);
            b[i + 3] = (byte) (v >>> 16);
            b[i + 4] = (byte) (v >>> 24);
            i += 5;
        }
    }
}
