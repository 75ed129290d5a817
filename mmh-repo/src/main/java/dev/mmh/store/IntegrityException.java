package dev.mmh.store;

/**
 * Bytes that do not match their checksum, or an object shorter or longer than it said: a transfer corrupted on the
 * way (the server refused an upload whose checksum did not match, or a download did not match the checksum stored
 * with the object) or an object damaged at rest. A get never returns such bytes as good: its stream throws this
 * before it reports the end of the object.
 *
 * <p>Retryable: a transfer damaged on the way usually arrives whole the next time; {@link Retry} tries it a few
 * times only ({@link Retry#maxIntegrityAttempts()}), since damage at rest comes back every time.
 */
public final class IntegrityException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /**
     * @param expected the checksum or size the object should have had (as text, e.g. a hex CRC32C), or {@code null}
     * @param actual what the bytes had, or {@code null}
     */
    public IntegrityException(String store, String objectName, String message, String expected, String actual) {
        super(store, objectName, message + (expected == null ? "" : " (expected " + expected + ", got " + actual
                + ")"), null);
        this.expected = expected;
        this.actual = actual;
    }

    /** The expected checksum or size, as text, or {@code null}. */
    public String expected() {
        return expected;
    }

    /** The checksum or size the bytes had, as text, or {@code null}. */
    public String actual() {
        return actual;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
