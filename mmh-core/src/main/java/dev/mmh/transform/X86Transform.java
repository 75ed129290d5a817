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

    private static void convert(byte[] b, int off, int len, boolean encode) {
        int end = off + len - 5;
        int i = off;
        // an opcode left unconverted blocks the next three: their operands would overlap its top byte, and the
        // decoder must see that byte exactly as the encoder did
        int unconverted = off - 4;
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
            int pos = i - off + 5;
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
