package dev.mmh.store;

/**
 * {@link ObjectStore#putIfAbsent} found the name taken: another writer (or an earlier run) put it first. The object
 * in the store is the other writer's, whole; nothing of this put is visible.
 */
public final class ObjectExistsException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ObjectExistsException(String store, String objectName) {
        super(store, objectName, "already exists", null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
