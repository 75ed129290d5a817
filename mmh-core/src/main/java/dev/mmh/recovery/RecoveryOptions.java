package dev.mmh.recovery;

/**
 * How to make recovery data. Immutable; change a field with the {@code with...} methods.
 *
 * @param fraction parity size as a share of the protected bytes, e.g. 0.05 for 5%, in
 *     [{@value RecoveryParams#MIN_FRACTION}, {@value RecoveryParams#MAX_FRACTION}]
 * @param threads worker threads (the output does not depend on it)
 * @param sidecar whether the section goes into a separate {@code .mmhr} file rather than after the protected
 *     bytes in the same file (recorded in the header; it makes a reader insist on the exact protected length)
 */
public record RecoveryOptions(double fraction, int threads, boolean sidecar) {
    public RecoveryOptions {
        if (!(fraction >= RecoveryParams.MIN_FRACTION && fraction <= RecoveryParams.MAX_FRACTION)) {
            throw new IllegalArgumentException("recovery fraction " + fraction + " outside [0.001, 0.5]");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
    }

    /** {@code fraction} on all available processors, for a section inside the protected file. */
    public static RecoveryOptions of(double fraction) {
        return new RecoveryOptions(fraction, Runtime.getRuntime().availableProcessors(), false);
    }

    public RecoveryOptions withThreads(int n) {
        return new RecoveryOptions(fraction, n, sidecar);
    }

    public RecoveryOptions withSidecar(boolean s) {
        return new RecoveryOptions(fraction, threads, s);
    }
}
