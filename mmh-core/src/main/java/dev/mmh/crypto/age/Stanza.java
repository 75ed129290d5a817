package dev.mmh.crypto.age;

import java.util.List;

/**
 * One recipient stanza of an age header: {@code -> TYPE ARG...} and a base64 body. {@code args} are the arguments
 * after the type. Immutable once made (the body array is the caller's: do not change it after).
 *
 * @param type the first argument, which names the recipient type ({@code X25519}, {@code scrypt},
 *     {@code mlkem768x25519}, or another implementation's)
 * @param args the other arguments, each 1 or more characters 0x21-0x7e
 * @param body the wrapped file key, or whatever the type puts there
 */
public record Stanza(String type, List<String> args, byte[] body) {
    public Stanza {
        args = List.copyOf(args);
        checkArgument(type);
        for (String a : args) {
            checkArgument(a);
        }
    }

    private static void checkArgument(String a) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("empty stanza argument");
        }
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) < 0x21 || a.charAt(i) > 0x7e) {
                throw new IllegalArgumentException("stanza argument with a character outside 0x21-0x7e");
            }
        }
    }
}
