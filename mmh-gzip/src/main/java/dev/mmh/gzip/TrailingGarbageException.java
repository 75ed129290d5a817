package dev.mmh.gzip;

import dev.mmh.CorruptDataException;

/**
 * Bytes that are not a gzip member follow the last complete member. Thrown only after every byte of the valid
 * members has been returned, so a caller that wants gzip's behaviour ("decompression OK, trailing garbage
 * ignored") can catch it and keep the output.
 */
public class TrailingGarbageException extends CorruptDataException {
    private static final long serialVersionUID = 1L;

    public TrailingGarbageException(long offset) {
        super("trailing garbage after the last gzip member", offset, -1);
    }
}
