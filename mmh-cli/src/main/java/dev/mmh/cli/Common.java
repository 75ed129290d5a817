package dev.mmh.cli;

import picocli.CommandLine.Option;

/** Options every command shares. */
final class Common {
    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors; no progress bar.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Say more; print stack traces of errors.")
    void verbose(boolean v) {
        Errors.verbose = v;
        this.verbose = v;
    }

    boolean verbose;

    @Option(names = {"-T", "--threads"}, paramLabel = "N",
            description = "Worker threads; 0 (the default) uses all ${sys:mmh.cores} cores.")
    int threads;

    static {
        System.setProperty("mmh.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    int threads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
