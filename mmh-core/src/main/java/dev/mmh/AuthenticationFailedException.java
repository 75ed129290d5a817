package dev.mmh;

/** Authenticated decryption failed: wrong password or key, or the ciphertext was altered. Reserved for encryption. */
public class AuthenticationFailedException extends MmhException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message) {
        super(message);
    }
}
