package dev.mmh.crypto.age;

import java.util.List;

/**
 * Something a file key can be wrapped for: an X25519 or post-quantum public key, or a passphrase. A new recipient
 * type is one class implementing this and {@link Identity}. Implementations are immutable and thread-safe.
 */
public interface Recipient {
    /** Wraps the 16-byte {@code fileKey} into the stanzas that go into the header (fresh randomness each call). */
    List<Stanza> wrap(byte[] fileKey);

    /** Whether this recipient must be alone in a header (a passphrase: age's rule for scrypt). */
    default boolean mustBeAlone() {
        return false;
    }

    /**
     * Whether this recipient is post-quantum: age 1.3's rule is that one file's recipients are all post-quantum or
     * none is (a classic recipient would be the weak link of the file).
     */
    default boolean postQuantum() {
        return false;
    }
}
