package dev.mmh.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/** {@code mmh gzip}: parallel gzip with gzip's and pigz's flags. Exit codes: 0 ok, 1 error (usage errors too), 2 warning. */
@Command(name = "gzip", sortOptions = false,
        description = "Compress (or with -d decompress) standard gzip files on every core.",
        exitCodeListHeading = "Exit codes:%n", exitCodeOnInvalidInput = GzipTool.ERROR,
        exitCodeList = {"0:success",
            "1:an error, a usage error too (unknown option, missing or bad value), as GNU gzip",
            "2:a warning (file skipped, trailing garbage ignored)"})
final class GzipCommand extends GzipTool {
    GzipCommand() {
    }

    /** Uses the given standard streams instead of the process's (tests, embedding). */
    GzipCommand(InputStream stdin, OutputStream stdout, PrintStream stderr) {
        super(stdin, stdout, stderr);
    }

    @Override
    boolean alwaysDecompress() {
        return false;
    }
}
