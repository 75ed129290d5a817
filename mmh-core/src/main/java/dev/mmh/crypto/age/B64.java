package dev.mmh.crypto.age;

import java.util.Base64;

/**
 * age's base64: the standard alphabet without {@code =} padding, and only the canonical encoding of a value is
 * accepted (RFC 4648 section 3.5: the unused bits of the last character are zero). Stateless.
 */
final class B64 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private B64() {
    }

    static String encode(byte[] b) {
        return ENCODER.encodeToString(b);
    }

    /** The bytes {@code s} encodes, or {@code null} if it is not canonical unpadded base64. */
    static byte[] decode(String s) {
        if (s.length() % 4 == 1) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return null;
            }
        }
        byte[] b;
        try {
            b = DECODER.decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // the JDK ignores non-zero trailing bits: the canonical encoding is the one that encodes back to s
        return ENCODER.encodeToString(b).equals(s) ? b : null;
    }
}
