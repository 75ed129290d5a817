package dev.mmh.analysis;

/**
 * What {@link Analyzer} found in one block and what it suggests per goal. Immutable.
 *
 * @param kind the kind of data
 * @param confidence 0..1, how sure the classification is
 * @param format name of a recognised file format at the block start (e.g. {@code jpeg}), or {@code null}
 * @param entropy order-0 entropy of the sampled bytes, bits per byte (0..8)
 * @param probeRatio compressed/raw size of the sample under zstd -1 (about 1.0 = incompressible)
 * @param param the kind's parameter: period for {@link DataKind#PERIODIC}, record size for
 *     {@link DataKind#RECORDS}, element size for floats and samples, else 0
 * @param fast what to do at {@link Goal#FAST}
 * @param normal what to do at {@link Goal#DEFAULT}
 * @param max what to do at {@link Goal#MAX}
 * @param maxAlternatives further candidates for {@link Goal#MAX} that won on some corpus files of this kind; an
 *     engine that can afford it compresses with {@code max} and each of these and keeps the smallest
 * @param reason one short human-readable line saying why
 */
public record BlockAnalysis(DataKind kind, double confidence, String format, double entropy, double probeRatio,
        int param, Choice fast, Choice normal, Choice max, java.util.List<Choice> maxAlternatives, String reason) {

    /** The suggestion for {@code goal}. */
    public Choice choiceFor(Goal goal) {
        return switch (goal) {
            case FAST -> fast;
            case DEFAULT -> normal;
            case MAX -> max;
        };
    }

    @Override
    public String toString() {
        return kind + " (" + Math.round(confidence * 100) + "%): " + reason + "; fast " + fast + ", default " + normal
                + ", max " + max;
    }
}
