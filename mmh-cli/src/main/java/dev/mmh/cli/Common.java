package dev.mmh.cli;

/** Options most commands share; their command line: {@link Commands#COMMON}. */
final class Common {
    final boolean quiet;
    final boolean verbose;
    final int threads;

    /** As given in {@code a}; -v also makes {@link Errors} print stack traces. */
    Common(Args a) {
        quiet = a.isSet(Commands.QUIET);
        verbose = a.isSet(Commands.VERBOSE);
        threads = a.get(Commands.THREADS, 0);
        if (verbose) {
            Errors.verbose = true;
        }
    }

    int threads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
