package dev.mmh.store;

/**
 * A failure that trying again will not fix: access denied, no such bucket or folder, a request the server refuses,
 * a range past the object's end, a local disk that refuses the write, the content to put failing to read.
 */
public final class PermanentStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public PermanentStoreException(String store, String objectName, String message, Throwable cause) {
        super(store, objectName, message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
