package dev.mmh.store.s3;

import dev.mmh.store.ObjectStore;
import dev.mmh.store.StoreException;
import dev.mmh.store.StoreOptions;
import dev.mmh.store.StoreProvider;
import java.net.URI;

/** Opens {@code s3://bucket/prefix} URLs for {@link dev.mmh.store.Stores}. */
public final class S3StoreProvider implements StoreProvider {
    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ObjectStore open(URI url, StoreOptions options) throws StoreException {
        return S3Store.open(url, options);
    }
}
