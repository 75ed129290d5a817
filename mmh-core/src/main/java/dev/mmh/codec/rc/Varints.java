package dev.mmh.codec.rc;

import dev.mmh.CorruptDataException;

/** Unsigned LEB128 varints of non-negative {@code int}s, as mmh's own codecs and transforms write them. */
public final class Varints {
    private Varints() {
    }

    /** Writes {@code v} (>= 0) at {@code d[o]}; returns the position after it (at most 5 bytes). */
    public static int put(byte[] d, int o, int v) {
        while ((v & ~0x7F) != 0) {
            d[o++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        d[o++] = (byte) v;
        return o;
    }

    /**
     * Reads a varint at {@code s[pos[0]]}, not past {@code end}, and advances {@code pos[0]}.
     *
     * @throws CorruptDataException naming {@code what} if it is truncated or does not fit a non-negative int
     */
    public static int get(byte[] s, int[] pos, int end, String what) throws CorruptDataException {
        int v = 0;
        int i = pos[0];
        for (int shift = 0; shift < 32; shift += 7) {
            if (i >= end) {
                throw new CorruptDataException(what + ": truncated", -1, -1);
            }
            int b = s[i++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (v < 0 || (shift == 28 && (b & 0x70) != 0)) {
                    break;
                }
                pos[0] = i;
                return v;
            }
        }
        throw new CorruptDataException(what + ": varint out of range", -1, -1);
    }
}
