package dev.mmh.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/** {@code mmh gunzip}: {@code mmh gzip -d}. Exit codes: 0 ok, 1 error (usage errors too), 2 warning. */
@Command(name = "gunzip", sortOptions = false,
        description = "Decompress gzip files: in parallel where the blocks are marked (mmh, BGZF), else as a stream.",
        exitCodeListHeading = "Exit codes:%n", exitCodeOnInvalidInput = GzipTool.ERROR,
        exitCodeList = {"0:success",
            "1:an error, a usage error too (unknown option, missing or bad value), as GNU gzip",
            "2:a warning (file skipped, trailing garbage ignored)"})
final class GunzipCommand extends GzipTool {
    GunzipCommand() {
    }

    /** Uses the given standard streams instead of the process's (tests, embedding). */
    GunzipCommand(InputStream stdin, OutputStream stdout, PrintStream stderr) {
        super(stdin, stdout, stderr);
    }

    @Override
    boolean alwaysDecompress() {
        return true;
    }
}
