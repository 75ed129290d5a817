package dev.mmh.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns failures into the one line that mmh prints on stderr. */
final class Errors {
    /** Set by -v: print stack traces too. */
    static volatile boolean verbose;

    private Errors() {
    }

    /** Prints {@code mmh: NAME: message} (and the stack trace with -v) and returns the exit code. */
    static int report(PrintWriter err, String name, Throwable e) {
        if (e instanceof Keys.KeyFileException k) {
            // a key or recipients file that cannot be read: its name, not the input's
            name = k.file;
            e = k.getCause();
        }
        err.println("mmh: " + name + ": " + describe(e));
        err.flush();
        if (verbose) {
            e.printStackTrace(err);
        }
        return ExitCode.of(e);
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory" + other(n);
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + other(a);
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "already exists (use -f to overwrite)");
        }
        if (e instanceof NotDirectoryException || e instanceof DirectoryNotEmptyException) {
            return e.getClass().getSimpleName();
        }
        if (e instanceof FileSystemException fs) {
            return (fs.getReason() != null ? fs.getReason() : "file system error") + other(fs);
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (try fewer threads with -T, or a smaller --block-size)";
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static String other(FileSystemException e) {
        return e.getOtherFile() != null ? " (" + e.getOtherFile() + ")" : "";
    }
}
