package dev.mmh.archive.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Entry names and paths as bytes: what a name may hold, and how one is shown. */
public final class Names {
    private Names() {
    }

    /** Why {@code name} is not a valid entry name, or {@code null} if it is one. */
    public static String checkName(byte[] name) {
        if (name.length == 0) {
            return "empty";
        }
        if (name.length > Limits.MAX_NAME) {
            return "longer than " + Limits.MAX_NAME + " bytes";
        }
        if (name.length <= 2 && name[0] == '.' && (name.length == 1 || name[1] == '.')) {
            return "'.' and '..' are not names";
        }
        for (byte b : name) {
            if (b == '/') {
                return "contains '/'";
            }
            if (b == 0) {
                return "contains a NUL byte";
            }
        }
        return null;
    }

    /**
     * The bytes as text: UTF-8 where valid, every other byte, every control character and the backslash escaped
     * ({@code \xNN}, {@code \\}), so that any name is shown on one line and two different names never look the same.
     */
    public static String display(byte[] name) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder s = new StringBuilder(name.length + 8);
        int i = 0;
        while (i < name.length) {
            int n = utf8Length(name, i);
            if (n == 0) {
                s.append(String.format("\\x%02x", name[i] & 0xff));
                i++;
                continue;
            }
            String c;
            try {
                c = d.decode(ByteBuffer.wrap(name, i, n)).toString();
            } catch (CharacterCodingException e) {
                s.append(String.format("\\x%02x", name[i] & 0xff));
                i++;
                continue;
            }
            int cp = c.codePointAt(0);
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                for (int k = 0; k < n; k++) {
                    s.append(String.format("\\x%02x", name[i + k] & 0xff));
                }
            } else if (cp == '\\') {
                s.append("\\\\");
            } else {
                s.append(c);
            }
            i += n;
        }
        return s.toString();
    }

    /** Length of the UTF-8 sequence that starts at {@code i} if its lead byte and length fit, else 0. */
    private static int utf8Length(byte[] b, int i) {
        int x = b[i] & 0xff;
        int n = x < 0x80 ? 1 : x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
        if (n == 0 || i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        return n;
    }

    /** Joins a parent path and a name with '/' (the parent may be empty: the root). */
    public static byte[] join(byte[] parent, byte[] name) {
        if (parent.length == 0) {
            return name.clone();
        }
        byte[] p = new byte[parent.length + 1 + name.length];
        System.arraycopy(parent, 0, p, 0, parent.length);
        p[parent.length] = '/';
        System.arraycopy(name, 0, p, parent.length + 1, name.length);
        return p;
    }

    /** Splits a '/'-separated path into its components, refusing empty, '.' and '..' components. */
    public static java.util.List<byte[]> split(byte[] path) {
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                byte[] c = java.util.Arrays.copyOfRange(path, start, i);
                String bad = checkName(c);
                if (bad != null) {
                    throw new IllegalArgumentException("path " + display(path) + ": component " + display(c) + " is "
                            + bad);
                }
                parts.add(c);
                start = i + 1;
            }
        }
        return parts;
    }
}
