package dev.mmh.store;

import java.time.Instant;

/**
 * An object in a store.
 *
 * @param name its name in the store
 * @param size its size in bytes
 * @param lastModified when it was put (the store's clock: a file's modification time, S3's {@code Last-Modified},
 *     whole seconds on some servers)
 */
public record ObjectInfo(String name, long size, Instant lastModified) {
}
