package dev.mmh.crypto.age;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173) as age uses it: a human-readable part, the separator {@code 1}, the data in 5-bit groups and a
 * 6-character checksum, all lowercase or all uppercase (the checksum is computed over the lowercase string), and,
 * unlike BIP-173, no limit on the length. An encoding, not cryptography. Stateless; thread-safe.
 */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GEN = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < CHARSET.length(); i++) {
            VALUES[CHARSET.charAt(i)] = (byte) i;
        }
    }

    /** A decoded string: its human-readable part, lowercase as given or lowercased, and its data bytes. */
    public record Decoded(String hrp, byte[] data) {
    }

    private Bech32() {
    }

    /**
     * {@code hrp} and {@code data} as Bech32, lowercase ({@link #encodeUpper} gives the uppercase form age uses for
     * secret keys).
     *
     * @throws IllegalArgumentException if {@code hrp} is empty or has characters outside 33..126 or uppercase ones
     */
    public static String encode(String hrp, byte[] data) {
        if (hrp.isEmpty()) {
            throw new IllegalArgumentException("empty Bech32 human-readable part");
        }
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("Bech32 human-readable part " + hrp + ": character " + c);
            }
        }
        byte[] five = convert(data, 8, 5, true);
        StringBuilder s = new StringBuilder(hrp.length() + 1 + five.length + 6).append(hrp).append('1');
        for (byte b : five) {
            s.append(CHARSET.charAt(b));
        }
        int mod = polymod(hrp, five, new byte[6]) ^ 1;
        for (int i = 0; i < 6; i++) {
            s.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return s.toString();
    }

    /** {@link #encode} with {@code hrp} given in any case, and the result in uppercase. */
    public static String encodeUpper(String hrp, byte[] data) {
        return encode(hrp.toLowerCase(Locale.ROOT), data).toUpperCase(Locale.ROOT);
    }

    /**
     * Decodes {@code s}: its human-readable part (lowercased) and data.
     *
     * @throws IllegalArgumentException (with a message that does not repeat {@code s}, which may be a secret) if it
     *     mixes cases, has no separator, has characters outside the alphabet, a wrong checksum, or padding bits that
     *     are not zero
     */
    public static Decoded decode(String s) {
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("Bech32: a character outside 33..126 at " + i);
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new IllegalArgumentException("Bech32: mixed upper and lower case");
        }
        String t = s.toLowerCase(Locale.ROOT);
        int sep = t.lastIndexOf('1');
        if (sep < 1 || sep + 7 > t.length()) {
            throw new IllegalArgumentException("Bech32: no separator, or no room for the checksum");
        }
        String hrp = t.substring(0, sep);
        byte[] five = new byte[t.length() - sep - 1];
        for (int i = 0; i < five.length; i++) {
            char c = t.charAt(sep + 1 + i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("Bech32: character '" + c + "' is not in the alphabet");
            }
            five[i] = (byte) v;
        }
        byte[] data = java.util.Arrays.copyOf(five, five.length - 6);
        byte[] check = java.util.Arrays.copyOfRange(five, five.length - 6, five.length);
        if (polymod(hrp, data, check) != 1) {
            throw new IllegalArgumentException("Bech32: checksum mismatch (a mistyped key?)");
        }
        return new Decoded(hrp, convert(data, 5, 8, false));
    }

    /** BIP-173's checksum polynomial over the expanded hrp, {@code data} and {@code tail}. */
    private static int polymod(String hrp, byte[] data, byte[] tail) {
        int chk = 1;
        for (int i = 0; i < hrp.length(); i++) {
            chk = step(chk, hrp.charAt(i) >>> 5);
        }
        chk = step(chk, 0);
        for (int i = 0; i < hrp.length(); i++) {
            chk = step(chk, hrp.charAt(i) & 31);
        }
        for (byte b : data) {
            chk = step(chk, b);
        }
        for (byte b : tail) {
            chk = step(chk, b);
        }
        return chk;
    }

    private static int step(int chk, int v) {
        int top = chk >>> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; i++) {
            if (((top >>> i) & 1) != 0) {
                chk ^= GEN[i];
            }
        }
        return chk;
    }

    /** Regroups bits from {@code from}-bit to {@code to}-bit values (BIP-173's convertbits). */
    private static byte[] convert(byte[] in, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int max = (1 << to) - 1;
        int keep = (1 << (from + to - 1)) - 1; // only the bits not yet written: acc never overflows
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
        for (byte b : in) {
            int v = b & 0xff;
            if ((v >>> from) != 0) {
                throw new IllegalArgumentException("Bech32: value out of range");
            }
            acc = ((acc << from) | v) & keep;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & max);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & max);
            }
        } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
            throw new IllegalArgumentException("Bech32: padding bits are not zero");
        }
        return out.toByteArray();
    }
}
