package dev.mmh.store;

import java.io.Closeable;

/**
 * The objects of {@link ObjectStore#list}, one at a time: it fetches more (a page, a folder entry) as it goes, so it
 * holds a bounded number of names whatever the count. Not thread-safe. {@link #close()} releases what it holds
 * open (folder handles); closing early is fine.
 */
public interface Listing extends Closeable {

    /** The next object, or {@code null} after the last one. */
    ObjectInfo next() throws StoreException;

    @Override
    void close();
}
