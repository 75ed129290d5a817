package dev.mmh.archive;

import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.read.FolderView;
import dev.mmh.archive.read.TreeDiff;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.engine.CompressOptions;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Folder archives: trees of files, deduplicated and compressed into one {@code .mmh} file of format version 3
 * (docs/FORMAT.md, "Folder archives"), with versions, random access and safe extraction. This class is the library
 * API that the {@code mmh} command and other programs use; it is thread-compatible (one thread at a time per open
 * archive) and every method fails only through {@link IOException}s ({@code dev.mmh.MmhException} for damaged,
 * foreign or unsupported archives).
 *
 * <p>Writing: {@link #create} packs paths (each stored under its last name, as {@code tar -C PARENT NAME} does) or a
 * tar stream into a new archive, written atomically to a file or streamed to an output (a pipe);
 * {@link #append} adds a version to an existing archive file, storing only what the archive lacks, and commits it
 * with one header write, so an append that is interrupted leaves the archive as it was.
 *
 * <p>Reading: {@link #open} an archive file, then list versions and entries, look paths up, read one file's bytes
 * (decoding only the blocks that hold them), extract into a directory, write a tar stream, or compare versions.
 */
public final class FolderArchive implements AutoCloseable {
    /**
     * How to write: the block engine's options (codec or goal, level, block size, hash, threads or a shared pool,
     * memory limit, progress), the chunker, which metadata to store, and recovery data.
     *
     * @param compress the engine's options for every block (its progress listener hears raw bytes read)
     * @param chunker how files are cut; an append uses the archive's own and ignores this
     * @param owner store owners (uid, gid and names)
     * @param xattrs store extended attributes ({@code user.} namespace)
     * @param special store FIFOs and device files (else they are skipped and reported)
     * @param recovery recovery data as a fraction of the protected bytes (0 for none)
     * @param rehash on append, read every file even when its size and time say it is unchanged
     */
    public record WriteOptions(CompressOptions compress, ChunkerParams chunker, boolean owner, boolean xattrs,
            boolean special, double recovery, boolean rehash) {
        /** The defaults: the engine's defaults, {@link ChunkerParams#DEFAULT}, no owners, attributes, specials. */
        public static WriteOptions defaults() {
            return new WriteOptions(CompressOptions.builder().build(), ChunkerParams.DEFAULT, false, false, false, 0,
                    false);
        }
    }

    /** How to read: threads or a shared pool, and progress (raw bytes restored). */
    public record ReadOptions(int threads, WorkerPool pool, LongConsumer progress) {
        public static ReadOptions threads(int n) {
            return new ReadOptions(n, null, null);
        }
    }

    /** A path to pack and the name it gets at the top of the version. */
    public record Source(Path path, byte[] name) {
        /** {@code path} stored under its own last name. */
        public static Source of(Path path) throws IOException {
            return new Source(path, dev.mmh.archive.fs.RawNames.name(path.toAbsolutePath().normalize()));
        }
    }

    /** Something that was not stored as it was (unreadable, changed while read, skipped): one line. */
    public record Problem(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    /**
     * What a create or append did.
     *
     * @param version the version written (1 for a new archive)
     * @param files regular files in the version
     * @param directories directories in the version
     * @param others links, devices, FIFOs
     * @param bytes sum of the files' sizes
     * @param newBytes raw bytes of blobs this version stored (what deduplication did not find)
     * @param archiveBytes the archive's length after the write
     * @param problems inputs not stored as they were (the archive is written nonetheless)
     */
    public record WriteSummary(int version, long files, long directories, long others, long bytes, long newBytes,
            long archiveBytes, List<Problem> problems) {
    }

    /** An archive's overall figures, for {@code mmh info}. */
    public record Info(int versions, long blocks, long dataBlocks, long rawBytes, long archiveBytes, long blobs,
            byte[] contentId, boolean recovery, long uncommittedBytes) {
    }

    private FolderArchive() {
    }

    /**
     * Packs {@code sources} into a new archive file at {@code target} (written to a temporary file and renamed when
     * complete; an existing file is replaced only with {@code force}).
     *
     * @throws IllegalArgumentException if two sources have the same name
     */
    public static WriteSummary create(List<Source> sources, Path target, boolean force, WriteOptions o)
            throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Packs {@code sources} into a new archive streamed to {@code out} (a pipe: no recovery data, no seeking). */
    public static WriteSummary create(List<Source> sources, OutputStream out, WriteOptions o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Packs the tar stream {@code tar} (pax, GNU long names, GNU sparse 1.0) into a new archive. Entries with an
     * absolute path lose the leading '/'; entries with a '..' component, or below a link, are refused and reported.
     *
     * @param target the archive file, or {@code null} to stream to {@code out}
     */
    public static WriteSummary createFromTar(InputStream tar, Path target, OutputStream out, boolean force,
            WriteOptions o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Adds a version of {@code sources} to the archive file {@code archive}, storing only the blobs it lacks and
     * skipping files whose size and modification time match the previous version (unless {@link
     * WriteOptions#rehash}). The archive is extended in place and committed by one header write at the end: an
     * append interrupted at any point (kill -9, full disk) leaves it as it was, readable and verifiable. Recovery
     * data, if the archive has it, is brought up to date.
     */
    public static WriteSummary append(Path archive, List<Source> sources, WriteOptions o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** As {@link #append}, from a tar stream. */
    public static WriteSummary appendFromTar(Path archive, InputStream tar, WriteOptions o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Whether the file at {@code p} starts with a folder archive's header (format version 3). */
    public static boolean isFolderArchive(Path p) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Opens a folder archive file for reading: header, footer, index, manifest and blob tables are read and checked;
     * no block is decoded yet.
     */
    public static FolderArchive open(Path archive, ReadOptions o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Opens a folder archive read from a stream (a pipe): it is spooled into a temporary file beside {@code spoolDir}
     * (deleted by {@link #close()}), then read as a file. Memory stays bounded; disk use is the archive's size.
     */
    public static FolderArchive open(InputStream in, Path spoolDir, ReadOptions o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** The versions, oldest first (numbered from 1). */
    public List<Manifest.Version> versions() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The latest version's number. */
    public int latest() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * A view of version {@code n} (1-based): lookups, listing, walking.
     *
     * @throws java.util.NoSuchElementException if there is no such version
     */
    public FolderView view(int n) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The entry at {@code path} ('/'-separated from the version's top) in version {@code n}, or {@code null}. */
    public Entry lookup(int n, byte[] path) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The content of the file at {@code path} in version {@code n}, decoding only the blocks that hold it (a hard
     * link gives its file's content).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such entry
     * @throws IOException if the entry is not a file
     */
    public InputStream read(int n, byte[] path) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Restores version {@code n} (or only {@code paths} in it) into {@code dest}; see {@link Extractor}. */
    public Extractor.Result extract(int n, List<byte[]> paths, Path dest, Extractor.Options o) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Writes version {@code n} (or only {@code paths}) as a pax tar stream that GNU tar reads. */
    public void toTar(int n, List<byte[]> paths, OutputStream out) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** What changed from version {@code a} to version {@code b}, in path order. */
    public void diff(int a, int b, TreeDiff.Listener out) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Figures for {@code mmh info}. */
    public Info info() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Closes the file (and deletes a spooled copy). */
    @Override
    public void close() throws IOException {
    }
}
