package dev.mmh.crypto.age;

import dev.mmh.CorruptDataException;

/**
 * An age header (or the nonce after it) that does not parse, or a stanza addressed to one of the given identities
 * that is malformed: CCTV's "header failure". Exit code 3 in the CLI.
 */
public class AgeHeaderException extends CorruptDataException {
    private static final long serialVersionUID = 1L;

    public AgeHeaderException(String reason, long offset) {
        super("age header: " + reason, offset, -1);
    }
}
