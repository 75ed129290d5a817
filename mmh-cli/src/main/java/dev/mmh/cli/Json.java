package dev.mmh.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Minimal JSON writer for --json output: maps, lists, strings, numbers, booleans, null. */
final class Json {
    private Json() {
    }

    static String write(Object o) {
        StringBuilder s = new StringBuilder();
        write(s, o, 0);
        return s.append('\n').toString();
    }

    private static void write(StringBuilder s, Object o, int indent) {
        if (o == null) {
            s.append("null");
        } else if (o instanceof String str) {
            quote(s, str);
        } else if (o instanceof Double d) {
            s.append(String.format(Locale.ROOT, "%.6g", d));
        } else if (o instanceof Number || o instanceof Boolean) {
            s.append(o);
        } else if (o instanceof Map<?, ?> m) {
            s.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                s.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                quote(s, String.valueOf(e.getKey()));
                s.append(": ");
                write(s, e.getValue(), indent + 1);
                first = false;
            }
            s.append(first ? "}" : "\n" + "  ".repeat(indent) + "}");
        } else if (o instanceof List<?> l) {
            s.append('[');
            boolean first = true;
            for (Object x : l) {
                s.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                write(s, x, indent + 1);
                first = false;
            }
            s.append(first ? "]" : "\n" + "  ".repeat(indent) + "]");
        } else {
            quote(s, o.toString());
        }
    }

    private static void quote(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
