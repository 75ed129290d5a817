package dev.mmh.store;

import dev.mmh.MmhException;

/**
 * Root of every failure of an {@link ObjectStore}: each names the store and, where there is one, the object.
 *
 * <p>The family: {@link ObjectNotFoundException} (no object by that name), {@link ObjectExistsException} (a
 * conditional put found the name taken), {@link TransientStoreException} (worth retrying: throttling, a server
 * error, a dropped connection, a timeout), {@link PermanentStoreException} (retrying will not help: access denied,
 * no such bucket, a bad request, the local disk refusing a write) and {@link IntegrityException} (bytes that do not
 * match their checksum). {@link Retry} retries exactly those for which {@link #retryable()} is true.
 */
public abstract class StoreException extends MmhException {
    private static final long serialVersionUID = 1L;

    private final String store;
    private final String objectName;

    /**
     * @param store the store's URL ({@link ObjectStore#url()})
     * @param objectName the object's name, or {@code null} for a failure of the store as a whole (a listing, a
     *     missing bucket)
     */
    protected StoreException(String store, String objectName, String message, Throwable cause) {
        super(where(store, objectName) + ": " + message, cause);
        this.store = store;
        this.objectName = objectName;
    }

    private static String where(String store, String name) {
        return name == null ? store : name + " (in " + store + ")";
    }

    /** The store's URL. */
    public String store() {
        return store;
    }

    /** The object's name, or {@code null} when the failure is not about one object. */
    public String objectName() {
        return objectName;
    }

    /** Whether the same operation may succeed if tried again ({@link Retry} retries only these). */
    public abstract boolean retryable();
}
