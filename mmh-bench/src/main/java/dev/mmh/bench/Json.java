package dev.mmh.bench;

import java.util.Locale;

/** A minimal streaming JSON writer (objects, arrays, strings, numbers, booleans); enough for the bench report. */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean needComma;
    private int depth;

    Json beginObject() {
        value();
        out.append('{');
        depth++;
        needComma = false;
        return this;
    }

    Json endObject() {
        depth--;
        newline();
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        value();
        out.append('[');
        depth++;
        needComma = false;
        return this;
    }

    Json endArray() {
        depth--;
        newline();
        out.append(']');
        needComma = true;
        return this;
    }

    Json name(String name) {
        value();
        string(name);
        out.append(": ");
        needComma = false;
        return this;
    }

    Json value(String s) {
        value();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        needComma = true;
        return this;
    }

    /** A number; NaN and infinities become null (JSON has no such numbers). */
    Json value(double d) {
        value();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros());
        }
        needComma = true;
        return this;
    }

    Json value(long v) {
        value();
        out.append(v);
        needComma = true;
        return this;
    }

    Json value(boolean b) {
        value();
        out.append(b);
        needComma = true;
        return this;
    }

    Json field(String name, String v) {
        return name(name).value(v);
    }

    Json field(String name, double v) {
        return name(name).value(v);
    }

    Json field(String name, long v) {
        return name(name).value(v);
    }

    private void value() {
        if (needComma) {
            out.append(',');
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
            newline();
        }
        needComma = false;
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(Math.max(depth, 0)));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString().strip() + "\n";
    }
}
