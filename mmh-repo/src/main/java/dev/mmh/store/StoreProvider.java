package dev.mmh.store;

import java.net.URI;

/**
 * Opens stores of one URL scheme; found by {@link Stores} through {@link java.util.ServiceLoader}, so a module such
 * as mmh-s3 adds a backend by being on the class path (its jar lists the provider in
 * {@code META-INF/services/dev.mmh.store.StoreProvider}).
 */
public interface StoreProvider {

    /** The URL scheme this provider opens, e.g. {@code s3}. */
    String scheme();

    /**
     * Opens the store at {@code url}.
     *
     * @throws StoreException if it cannot be reached or does not exist
     * @throws IllegalArgumentException if the URL is malformed for this scheme
     */
    ObjectStore open(URI url, StoreOptions options) throws StoreException;
}
