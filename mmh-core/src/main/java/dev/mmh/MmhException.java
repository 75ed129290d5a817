package dev.mmh;

import java.io.IOException;

/**
 * Root of every failure that mmh reports about data it reads or limits it enforces.
 *
 * <p>A decoder fails only through this family: {@link NotMmhFormatException} (not ours),
 * {@link CorruptDataException} (ours but damaged, with offset and block), {@link ChecksumMismatchException}
 * (a checksum disagrees: expected and actual), {@link UnsupportedFormatException} (a version, codec or feature
 * this build does not know), {@link LimitExceededException} (a declared size beyond an allowed limit) and
 * {@link AuthenticationFailedException} (reserved for encrypted archives). Plain {@link IOException}s
 * from the file system pass through unchanged.
 */
public class MmhException extends IOException {
    private static final long serialVersionUID = 1L;

    public MmhException(String message) {
        super(message);
    }

    public MmhException(String message, Throwable cause) {
        super(message, cause);
    }
}
