package dev.mmh.cli;

import dev.mmh.AuthenticationFailedException;
import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * The exit codes of {@code mmh}, one per outcome; {@code --help} shows them ({@link #HELP}) and docs/CLI.md lists them
 * ({@code CliDocTest} holds the three together).
 */
public final class ExitCode {
    private ExitCode() {
    }

    public static final int OK = 0;
    /** An I/O error: missing or unreadable input, unwritable output folder, full disk. */
    public static final int IO_ERROR = 1;
    /** Wrong usage: unknown option, bad value. */
    public static final int USAGE = 2;
    /** The archive is damaged: a checksum, hash or structure does not match. */
    public static final int DAMAGED = 3;
    /** The input is not an mmh archive. */
    public static final int NOT_MMH = 4;
    /** The archive needs a format version, codec or feature this mmh does not support. */
    public static final int UNSUPPORTED = 5;
    /** A declared size or the memory needed is over the limit. */
    public static final int LIMIT = 6;
    /** The output exists and -f was not given. */
    public static final int EXISTS = 7;
    /** Wrong password or key, or altered ciphertext (encrypted archives). */
    public static final int AUTH_FAILED = 8;
    /** verify: the archive is damaged, and its recovery data can repair it ({@code mmh repair}). */
    public static final int REPAIRABLE = 9;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    /** The lines {@code --help} prints under "Exit codes:". */
    public static final String[] HELP = {
        "0:Success.",
        "1:I/O error: missing or unreadable input, unwritable output, full disk.",
        "2:Usage error: unknown option or bad value.",
        "3:Damaged archive, not repairable (a checksum or structure is wrong).",
        "4:Not an mmh archive.",
        "5:Unsupported format version, codec or feature.",
        "6:A declared size or the memory needed is over the limit.",
        "7:Output exists (use -f to overwrite).",
        "8:Authentication failed (encrypted archives).",
        "9:verify: damaged, but repairable from its recovery data.",
        "130:Interrupted.",
    };

    /** The exit code for a failure. */
    public static int of(Throwable e) {
        if (e instanceof NotMmhFormatException) {
            return NOT_MMH;
        }
        if (e instanceof CorruptDataException) {
            return DAMAGED;
        }
        if (e instanceof UnsupportedFormatException) {
            return UNSUPPORTED;
        }
        if (e instanceof LimitExceededException || e instanceof OutOfMemoryError) {
            return LIMIT;
        }
        if (e instanceof AuthenticationFailedException) {
            return AUTH_FAILED;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EXISTS;
        }
        if (e instanceof InterruptedIOException) {
            return INTERRUPTED;
        }
        return IO_ERROR;
    }
}
