package dev.mmh.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Optional;

/**
 * A store of immutable objects by name: the only thing a repository needs from a backend (a local folder, S3).
 *
 * <h2>Names</h2>
 * A name is a relative key such as {@code packs/ab/abcdef0123}: segments of {@code [A-Za-z0-9._-]} separated by
 * {@code /}, none empty or starting with a dot, at most 1,024 characters ({@link Names#check}). Segments are folders
 * in a folder store and key parts on S3, so the same repository has the same layout on both, and names that fan out
 * ({@code packs/ab/...}) keep folders small.
 *
 * <h2>Rules every store keeps</h2>
 * <ul>
 *   <li><b>Atomic puts</b>: an object is visible whole or not at all, to every reader and every listing; a put
 *       that fails, is interrupted or is killed leaves nothing visible under the name (a folder store may leave a
 *       hidden temporary file, an S3 store an incomplete multipart upload, neither visible through this
 *       interface).</li>
 *   <li><b>Idempotent puts</b>: putting a name again with the same bytes succeeds and changes nothing a reader can
 *       see. Objects are immutable by convention: a repository names them by their content, so a second put of a
 *       name carries the same bytes; {@link #put} with different bytes replaces the object atomically.</li>
 *   <li><b>Conditional puts</b>: {@link #putIfAbsent} fails with {@link ObjectExistsException} when the name
 *       exists. Whether it is atomic against a concurrent writer depends on the backend: see
 *       {@link #capabilities()} and each store's documentation.</li>
 *   <li><b>Streams</b>: large objects go through streams in both directions, never whole in memory.</li>
 *   <li><b>Checked bytes</b>: a get never returns corrupt bytes as good where the store can know (a checksum
 *       stored with the object, a size); its stream throws {@link IntegrityException} instead.</li>
 *   <li><b>Retries inside</b>: transient failures are retried by the store's {@link Retry} policy; what reaches
 *       the caller is final.</li>
 *   <li><b>One exception family</b>: every failure is a {@link StoreException} naming the store and the
 *       object.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe: one store object serves every thread of a process. {@link #close()} releases
 * its connections; streams and listings still open then fail.
 */
public interface ObjectStore extends Closeable {

    /** The store's URL, as given to {@link Stores#open}: a folder's absolute path, or {@code s3://bucket/prefix}. */
    String url();

    /**
     * What this store guarantees beyond the rules every store keeps. May cost requests the first time (an S3 store
     * probes whether the server honours {@code If-None-Match}); the answer is kept.
     */
    Capabilities capabilities() throws StoreException;

    /**
     * Puts an object, replacing one of the same name. Atomic and idempotent (see the class comment).
     *
     * @param content the bytes; opened once per attempt, so a retry sends them again from the start
     * @throws PermanentStoreException also when the content cannot be read or does not have its stated size
     */
    void put(String name, Content content) throws StoreException;

    /**
     * Puts an object only if no object has the name: a conditional write ({@code If-None-Match: *} on S3, a hard
     * link on a folder). Atomic as {@link #put}.
     *
     * @throws ObjectExistsException if the name exists (nothing of this put is visible then)
     */
    void putIfAbsent(String name, Content content) throws StoreException;

    /**
     * Opens an object for reading, whole. The stream checks what the store can check (the size, and the checksum
     * stored with the object) when it reaches the end: a caller that reads to {@code -1} has had good bytes. It
     * resumes by itself after a dropped connection. The caller closes it.
     *
     * @throws ObjectNotFoundException if there is no object by that name
     */
    InputStream get(String name) throws StoreException;

    /**
     * Opens {@code length} bytes of an object from {@code offset} (a ranged GET on S3). The stream gives exactly
     * {@code length} bytes or throws; it checks the count, not a checksum (the caller's data carries its own,
     * as a pack's blocks do). The caller closes it.
     *
     * @throws ObjectNotFoundException if there is no object by that name
     * @throws PermanentStoreException if {@code offset + length} is past the object's end
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     */
    InputStream get(String name, long offset, long length) throws StoreException;

    /** The object's size and time, or empty if there is no object by that name. */
    Optional<ObjectInfo> head(String name) throws StoreException;

    /**
     * Lists the objects whose names start with {@code prefix} (empty: all), streaming: memory stays bounded however
     * many there are (S3 reads pages of up to 1,000 names; a folder store walks its folders one entry at a time).
     * The order is unspecified (S3 gives names in byte order, a folder in the file system's order). An object put or
     * deleted during the listing may or may not appear. The caller closes the listing.
     */
    Listing list(String prefix) throws StoreException;

    /** Deletes an object; deleting a name that does not exist succeeds (as on S3). */
    void delete(String name) throws StoreException;

    /**
     * Deletes several objects; names that do not exist are skipped. An S3 store sends up to 1,000 names per
     * request. On a failure, some of the names may have been deleted.
     */
    default void delete(Collection<String> names) throws StoreException {
        for (String name : names) {
            delete(name);
        }
    }

    /**
     * Removes what puts that never finished left behind, invisible to every other operation: a folder store's
     * hidden temporary files, an S3 store's incomplete multipart uploads (billed until removed). Only what is older
     * than {@code age} is removed, so that puts running now (in this or another process) are left alone: give an
     * age longer than any put takes, e.g. a day. A repository's prune calls it.
     *
     * @return how many leftovers it removed
     */
    long removeIncomplete(java.time.Duration age) throws StoreException;

    /** Counts of this store's requests, retries and bytes since it was opened. */
    StoreMetrics metrics();

    /** Releases the store's connections and threads. */
    @Override
    void close() throws IOException;
}
