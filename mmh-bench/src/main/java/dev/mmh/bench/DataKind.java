package dev.mmh.bench;

import java.util.Locale;

/** The kinds of generated benchmark data; see {@link DataGenerator} for what each one looks like. */
public enum DataKind {
    /** English-like words drawn with a Zipf distribution, in sentences, lines and paragraphs. */
    TEXT,
    /** 32-byte little-endian records: sequence numbers, timestamps, small categorical fields, names. */
    BINARY,
    /** float32 little-endian values, roughly normal, in "tensors" of varying scale, like model weights. */
    FLOAT,
    /** A random pattern repeated with its period ({@link DataGenerator#period(long)}), a few bytes changed. */
    PERIODIC,
    /** Uniformly random bytes: incompressible. */
    RANDOM,
    /** The other kinds in turn, in segments of {@link DataGenerator#MIX_SEGMENT} bytes. */
    MIX;

    /** Lower-case name used on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this command-line name (case-insensitive). */
    public static DataKind parse(String s) {
        for (DataKind k : values()) {
            if (k.label().equalsIgnoreCase(s.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown data kind '" + s + "' (known: text, binary, float, periodic, random, mix)");
    }
}
