package dev.mmh.cli;

import java.nio.file.Path;

/**
 * Where compress and decompress write, and what they may replace or remove; their command line:
 * {@link Commands#OUTPUT}.
 */
final class OutputOptions {
    Path output;
    boolean stdout;
    boolean force;
    boolean remove;
    boolean keep;

    OutputOptions(Args a) {
        output = a.get(Commands.OUTPUT);
        stdout = a.isSet(Commands.STDOUT);
        force = a.isSet(Commands.FORCE);
        remove = a.isSet(Commands.REMOVE);
        keep = a.isSet(Commands.KEEP);
    }
}
