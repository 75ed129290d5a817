package dev.mmh.crypto.age;

import java.util.List;

/**
 * What unwraps a file key: an X25519 or post-quantum secret key, or a passphrase. Implementations are immutable and
 * thread-safe.
 */
public interface Identity {
    /**
     * The 16-byte file key from the first of {@code stanzas} addressed to this identity that it opens, or
     * {@code null} when none is (stanzas of other types are skipped).
     *
     * @throws AgeHeaderException a stanza of this identity's type is malformed (wrong argument count or encoding,
     *     wrong body length, a low-order share)
     */
    byte[] unwrap(List<Stanza> stanzas) throws AgeHeaderException;
}
