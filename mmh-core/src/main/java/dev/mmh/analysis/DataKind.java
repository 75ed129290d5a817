package dev.mmh.analysis;

/**
 * What a block looks like to {@link Analyzer}. The ordinal is written into archives (the reason byte, see
 * {@link Reasons}): append new kinds at the end, never reorder or remove one.
 */
public enum DataKind {
    /** No bytes. */
    EMPTY,
    /** A known compressed or media format (see {@link BlockAnalysis#format()}). */
    COMPRESSED,
    /** High entropy, the compressibility probe gains nothing. */
    INCOMPRESSIBLE,
    /** Repeats with a period of {@link BlockAnalysis#param()} bytes. */
    PERIODIC,
    /** Text (ASCII or UTF-8; markup, source code, logs). */
    TEXT,
    /** Little-endian IEEE float32 values. */
    FLOAT32,
    /** Little-endian IEEE float16 values. */
    FLOAT16,
    /** Little-endian bfloat16 values. */
    BFLOAT16,
    /** Smooth little-endian 16-bit integer samples (images, audio, sensors). */
    SAMPLES16,
    /** Fixed-size binary records. */
    RECORDS,
    /** x86 machine code. */
    X86,
    /** Anything else. */
    BINARY
}
