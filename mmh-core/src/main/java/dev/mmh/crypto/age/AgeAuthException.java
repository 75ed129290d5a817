package dev.mmh.crypto.age;

import dev.mmh.AuthenticationFailedException;

/**
 * An age file that the given identities cannot open, or whose header or payload was altered: exit code 8 in the CLI.
 * {@link #kind()} tells which (CCTV's "no match", "HMAC failure", "payload failure"). Messages name the stanza types
 * and chunk numbers, never a key.
 */
public class AgeAuthException extends AuthenticationFailedException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Kind {
        /** No identity unwraps any stanza: wrong key or passphrase. */
        NO_MATCH,
        /** A stanza was unwrapped but the header's MAC does not match: the header was altered. */
        HEADER_MAC,
        /** A payload chunk does not authenticate, or the payload is truncated or has trailing data. */
        PAYLOAD
    }

    private final Kind kind;

    public AgeAuthException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
