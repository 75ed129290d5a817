package dev.mmh.store;

/** No object by that name in the store (a get, or a ranged get, of a name that was never put or was deleted). */
public final class ObjectNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String store, String objectName) {
        super(store, objectName, "no such object", null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
