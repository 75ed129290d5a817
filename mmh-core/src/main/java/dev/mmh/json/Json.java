package dev.mmh.json;

import dev.mmh.CorruptDataException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mmh's one JSON writer and reader (RFC 8259). Stateless and thread-safe.
 *
 * <p>{@link #write} turns Java values into JSON text that every conforming parser accepts, whatever the values:
 * <ul>
 *   <li>{@code null} → {@code null}; {@link Boolean} → {@code true}/{@code false};</li>
 *   <li>{@link Double} and {@link Float}: NaN and the infinities (which JSON cannot express) → {@code null}, every
 *       other value in a form that reads back to the same {@code double}/{@code float} ({@code 0.1},
 *       {@code 1.0E-7}); integers ({@link Long}, {@link Integer}, {@link BigInteger}, ...) exactly;
 *       {@link BigDecimal} exactly;</li>
 *   <li>{@link CharSequence}, {@link Character}, enums (their {@code name()}) and any other object (its
 *       {@code toString()}) → a string, escaped: quote, backslash, and every control character below U+0020
 *       ({@code \n}, {@code \t}, ... or {@code &#92;u00XX}); an unpaired surrogate becomes
 *       {@code &#92;uXXXX}, so the text encodes to valid UTF-8;</li>
 *   <li>{@link Map} → an object in the map's iteration order (keys by {@code String.valueOf}); a record → an
 *       object of its components in declaration order; a {@link Collection} or an array → an array (a
 *       {@link java.nio.file.Path}, which is only {@link Iterable}, → its string).</li>
 * </ul>
 * Nesting deeper than {@value #MAX_DEPTH} levels (a map that contains itself) fails with
 * {@link IllegalArgumentException}.
 *
 * <p>{@link #parse} reads JSON text strictly into the same shapes (objects as {@link LinkedHashMap}s in document
 * order, arrays as {@link List}s, integers as {@link Long} — as {@link Double} when they do not fit — other
 * numbers as {@link Double}) and fails only with {@link CorruptDataException}, naming the character offset.
 */
public final class Json {
    /** Deepest nesting of objects and arrays that {@link #write} and {@link #parse} accept. */
    public static final int MAX_DEPTH = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /**
     * {@code value} as JSON text, indented by two spaces per level, ending with a newline.
     *
     * @throws IllegalArgumentException if the value nests deeper than {@value #MAX_DEPTH} levels
     */
    public static String write(Object value) {
        StringBuilder s = new StringBuilder();
        value(s, value, 0);
        return s.append('\n').toString();
    }

    private static void value(StringBuilder s, Object o, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (o == null) {
            s.append("null");
        } else if (o instanceof CharSequence || o instanceof Character) {
            string(s, o.toString());
        } else if (o instanceof Boolean) {
            s.append(o);
        } else if (o instanceof Number n) {
            number(s, n);
        } else if (o instanceof Enum<?> e) {
            string(s, e.name());
        } else if (o instanceof Map<?, ?> m) {
            object(s, m, depth);
        } else if (o instanceof Record r) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    java.lang.reflect.Method get = c.getAccessor();
                    get.trySetAccessible(); // a record nested in a class of its own package
                    m.put(c.getName(), get.invoke(r));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read " + r.getClass().getName() + "." + c.getName(), e);
                }
            }
            object(s, m, depth);
        } else if (o instanceof Collection<?> c) {
            // not every Iterable: a Path iterates over its names, each a Path again
            array(s, c, depth);
        } else if (o.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0, n = Array.getLength(o); i < n; i++) {
                l.add(Array.get(o, i));
            }
            array(s, l, depth);
        } else {
            string(s, o.toString());
        }
    }

    private static void number(StringBuilder s, Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                s.append("null");
            } else {
                // Double.toString and Float.toString give the digits that read back to the same value, in a
                // form JSON accepts (1.0E-7: an exponent with an optional sign)
                s.append(n instanceof Float f ? Float.toString(f) : Double.toString(d));
            }
        } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof BigDecimal
                || n instanceof java.util.concurrent.atomic.AtomicLong
                || n instanceof java.util.concurrent.atomic.AtomicInteger) {
            s.append(n);
        } else {
            number(s, n.doubleValue()); // any other Number: through its double value
        }
    }

    private static void object(StringBuilder s, Map<?, ?> m, int depth) {
        s.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            s.append(first ? "\n" : ",\n");
            indent(s, depth + 1);
            string(s, String.valueOf(e.getKey()));
            s.append(": ");
            value(s, e.getValue(), depth + 1);
            first = false;
        }
        if (!first) {
            s.append('\n');
            indent(s, depth);
        }
        s.append('}');
    }

    private static void array(StringBuilder s, Collection<?> l, int depth) {
        s.append('[');
        boolean first = true;
        for (Object x : l) {
            s.append(first ? "\n" : ",\n");
            indent(s, depth + 1);
            value(s, x, depth + 1);
            first = false;
        }
        if (!first) {
            s.append('\n');
            indent(s, depth);
        }
        s.append(']');
    }

    private static void indent(StringBuilder s, int depth) {
        for (int i = 0; i < depth; i++) {
            s.append("  ");
        }
    }

    private static void string(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(s, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < v.length()
                            && Character.isLowSurrogate(v.charAt(i + 1))) {
                        s.append(c).append(v.charAt(++i)); // a pair: one code point, encodable as UTF-8
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(s, c); // unpaired: no UTF-8 form, so only as an escape
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }

    private static void unicodeEscape(StringBuilder s, char c) {
        s.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
    }

    /**
     * Parses one JSON value (with optional white space around it).
     *
     * @throws CorruptDataException if the text is not JSON, nests deeper than {@value #MAX_DEPTH} levels or has
     *     text after the value
     */
    public static Object parse(String text) throws CorruptDataException {
        Reader r = new Reader(text);
        Object v = r.value(0);
        r.ws();
        if (r.i != text.length()) {
            throw r.error("text after the JSON value");
        }
        return v;
    }

    /** The parser's position in the text. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        CorruptDataException error(String what) {
            return new CorruptDataException("JSON: " + what + " at character " + i, -1, -1);
        }

        void ws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r'
                    || s.charAt(i) == '\t')) {
                i++;
            }
        }

        Object value(int depth) throws CorruptDataException {
            if (depth > MAX_DEPTH) {
                throw error("nesting too deep");
            }
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            switch (s.charAt(i)) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (take('}')) {
                        return m;
                    }
                    do {
                        ws();
                        if (i >= s.length() || s.charAt(i) != '"') {
                            throw error("expected a key");
                        }
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value(depth + 1));
                        ws();
                    } while (take(','));
                    expect('}');
                    return m;
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (take(']')) {
                        return l;
                    }
                    do {
                        l.add(value(depth + 1));
                        ws();
                    } while (take(','));
                    expect(']');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    return number();
                }
            }
        }

        private boolean take(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) throws CorruptDataException {
            if (!take(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private String string() throws CorruptDataException {
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    i--;
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            v = v << 4 | d;
                            i++;
                        }
                        b.append((char) v);
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        /** A number as RFC 8259 spells it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
        private Object number() throws CorruptDataException {
            int start = i;
            take('-');
            if (!take('0') && digits() == 0) {
                i = start;
                throw error("bad value");
            }
            boolean integral = true;
            if (take('.')) {
                integral = false;
                if (digits() == 0) {
                    throw error("bad number");
                }
            }
            if (take('e') || take('E')) {
                integral = false;
                if (!take('+')) {
                    take('-');
                }
                if (digits() == 0) {
                    throw error("bad number");
                }
            }
            String t = s.substring(start, i);
            if (integral) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException tooLong) {
                    // beyond a long: as a double, like the other numbers
                }
            }
            return Double.parseDouble(t);
        }

        private int digits() {
            int from = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            return i - from;
        }
    }
}
