package dev.mmh.analysis;

import java.util.Locale;

/**
 * The reason byte of a block header (docs/FORMAT.md): why the block's codec and transform were chosen, so that
 * {@code mmh info} can say it later. Bits 0-5: 0 = given by the user, otherwise 1 + the {@link DataKind} the
 * analysis saw; bit 6: stored because nothing made it smaller; bit 7: the smallest of several trials.
 */
public final class Reasons {
    public static final int USER = 0;
    public static final int STORED_NO_GAIN = 0x40;
    public static final int TRIALS = 0x80;

    private Reasons() {
    }

    /** The reason code for a block the analysis classified as {@code kind}. */
    public static int of(DataKind kind) {
        return 1 + kind.ordinal();
    }

    /** The kind of data recorded in a reason code, or {@code null} for "given by the user" or unknown codes. */
    public static DataKind kind(int reason) {
        int k = (reason & 0x3f) - 1;
        return k >= 0 && k < DataKind.values().length ? DataKind.values()[k] : null;
    }

    /** A short phrase, e.g. {@code "float32 data; smallest of 3 trials"}. */
    public static String describe(int reason) {
        StringBuilder s = new StringBuilder();
        DataKind k = kind(reason);
        if ((reason & 0x3f) == 0) {
            s.append("codec given by the user");
        } else if (k == null) {
            s.append("reason code ").append(reason & 0x3f);
        } else {
            s.append(switch (k) {
                case EMPTY -> "empty block";
                case COMPRESSED -> "already compressed data";
                case INCOMPRESSIBLE -> "incompressible data";
                case PERIODIC -> "periodic data";
                case TEXT -> "text";
                case FLOAT32, FLOAT16, BFLOAT16 -> k.name().toLowerCase(Locale.ROOT) + " numbers";
                case SAMPLES16 -> "16-bit samples";
                case RECORDS -> "fixed-size records";
                case X86 -> "x86 machine code";
                case BINARY -> "binary data";
            });
        }
        if ((reason & TRIALS) != 0) {
            s.append("; smallest of several trials");
        }
        if ((reason & STORED_NO_GAIN) != 0) {
            s.append("; stored: nothing made it smaller");
        }
        return s.toString();
    }
}
