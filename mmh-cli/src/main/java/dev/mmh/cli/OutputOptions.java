package dev.mmh.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where compress and decompress write, and what they may replace or remove. */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT (one input only).")
    Path output;

    @Option(names = {"-c", "--stdout"}, description = "Write to standard output.")
    boolean stdout;

    @Option(names = {"-f", "--force"}, description = "Overwrite existing output files.")
    boolean force;

    @Option(names = "--rm", description = "Delete each input once its output is complete (and, for compress, "
            + "decoded back and checked).")
    boolean remove;

    @Option(names = {"-k", "--keep"}, hidden = true, description = "Keep inputs (the default).")
    boolean keep;
}
