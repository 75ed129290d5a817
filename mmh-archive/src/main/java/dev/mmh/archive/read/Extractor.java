package dev.mmh.archive.read;

import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.fs.Destination;
import dev.mmh.archive.fs.Metadata;
import dev.mmh.archive.fs.RawNames;
import dev.mmh.archive.fs.Specials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Restores a version of a folder into a destination directory, safely and in block order.
 *
 * <p>Entries are walked in path order. Directories are made as they come (mode 0700 until done); files are
 * gathered into a window, and each window is restored by decoding every block its files need once, on several
 * threads, and writing each piece straight to its file's temporary name in the file's directory; a file is renamed
 * into place when its last byte is written, with its mode, owner, extended attributes and time set first. Hard
 * links, symbolic links and special files follow the window's files (so no link stored in the archive exists while
 * files are written), and a directory's metadata is applied once everything inside it is done. Every path goes
 * through {@link Destination}, which refuses to pass through a symbolic link or leave the destination.
 *
 * <p>Damage does not stop the extraction: a file whose blocks or chunk list cannot be read is left out (its
 * temporary file deleted) and named in {@link Result#problems()}, and everything else is restored. Not thread-safe;
 * one extraction per instance.
 */
public final class Extractor {
    /**
     * @param force replace existing files (and apply metadata to existing directories)
     * @param owner restore owners (numeric ids; as root)
     * @param xattrs restore extended attributes (the {@code user.} namespace)
     * @param special restore FIFOs and device files (devices need root)
     * @param threads blocks decoded at once
     * @param windowFiles files gathered before a window is restored (bounds memory)
     */
    public record Options(boolean force, boolean owner, boolean xattrs, boolean special, int threads, int windowFiles) {
        public Options {
            if (threads < 1 || windowFiles < 1) {
                throw new IllegalArgumentException("threads and window must be positive");
            }
        }

        public static Options defaults(int threads) {
            return new Options(false, false, false, false, threads, 65_536);
        }

        public Options withForce(boolean f) {
            return new Options(f, owner, xattrs, special, threads, windowFiles);
        }
    }

    /** What could not be restored: the entry's path (shown) and why, one line. */
    public record Problem(String path, String reason, boolean exists) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    /** What an extraction did. */
    public record Result(long files, long directories, long links, long others, long bytes, List<Problem> problems,
            long moreProblems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final int MAX_PROBLEMS = 1000;
    /**
     * Bytes gathered into one write at most: the JDK copies a heap buffer through a direct buffer of the write's
     * size that each thread keeps, so this bounds that buffer.
     */
    private static final int MAX_WRITE = 1 << 20;
    private static final AtomicLong TEMP = new AtomicLong();

    private final FolderView view;
    private final ArchiveData data;
    private final Destination dest;
    private final Options o;
    private final LongConsumer progress;
    private final List<Problem> problems = new ArrayList<>();
    private long moreProblems;
    private final List<FileJob> window = new ArrayList<>();
    private final List<Deferred> links = new ArrayList<>();
    private final List<DirJob> leftDirs = new ArrayList<>();
    private final java.util.Set<String> madeDirs = new java.util.HashSet<>();
    private long files;
    private long directories;
    private long linkCount;
    private long others;
    private final AtomicLong bytes = new AtomicLong();

    public Extractor(FolderView view, ArchiveData data, Path dest, Options o, LongConsumer progress)
            throws IOException {
        this(view, data, dest, o, progress, null);
    }

    /** @param pool the workers that decode blocks (shared), or {@code null} for a pool of {@link Options#threads()} */
    public Extractor(FolderView view, ArchiveData data, Path dest, Options o, LongConsumer progress,
            dev.mmh.work.WorkerPool pool) throws IOException {
        this.view = view;
        this.data = data;
        this.dest = new Destination(dest);
        this.o = o;
        this.progress = progress;
        this.pool = pool;
    }

    private final dev.mmh.work.WorkerPool pool;

    /** A file to restore, with its pieces not yet written. */
    private static final class FileJob {
        final byte[] path;
        final Entry entry;
        final AtomicLong remaining = new AtomicLong();
        Path temp;
        Path target;
        /** Where the file's last stored byte ends: bytes after it are a hole. */
        long dataEnd;
        private boolean created;
        volatile String failed;

        FileJob(byte[] path, Entry entry) {
            this.path = path;
            this.entry = entry;
        }

        /**
         * The temporary file, opened for one block's pieces and closed after them (so at most one file per worker
         * is open, whatever the window holds); the first open makes it, and no other open happens before that.
         */
        FileChannel open() throws IOException {
            synchronized (this) {
                if (!created) {
                    FileChannel c = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    created = true;
                    return c;
                }
            }
            return FileChannel.open(temp, StandardOpenOption.WRITE);
        }

        synchronized boolean created() {
            return created;
        }
    }

    /** A piece of a file in a block: {@code length} bytes at {@code blockOffset} go to {@code fileOffset}. */
    private record Piece(FileJob job, long fileOffset, int blockOffset, int length) {
    }

    private record Deferred(byte[] path, Entry entry) {
    }

    private record DirJob(byte[] path, Entry entry) {
    }

    /**
     * Restores {@code paths} (from the version's root; all of it when empty) and everything below them.
     *
     * @throws IOException only for failures that stop everything (the destination cannot be written at all);
     *     damage and refused entries are in the result
     */
    public Result extract(List<byte[]> paths) throws IOException {
        FolderView.Visitor v = new FolderView.Visitor() {
            @Override
            public void entry(byte[] path, Entry e) throws IOException {
                if (skipping != null && under(path, skipping)) {
                    return; // inside a directory that was refused: reported once, at the directory
                }
                visit(path, e);
            }

            @Override
            public void leave(byte[] path, Entry dir) {
                if (skipping != null) {
                    if (java.util.Arrays.equals(path, skipping)) {
                        skipping = null;
                    }
                    return;
                }
                if (madeDirs.remove(key(path)) || o.force()) {
                    leftDirs.add(new DirJob(path, dir));
                }
            }

            @Override
            public void damaged(byte[] path, IOException e) {
                problem(path, "directory listing could not be read: " + message(e), false);
            }
        };
        if (paths.isEmpty()) {
            view.walk(v);
        } else {
            for (byte[] p : paths) {
                try {
                    view.walk(p, v);
                } catch (java.nio.file.NoSuchFileException e) {
                    problem(p, "not in the archive", false);
                }
            }
        }
        flush();
        return new Result(files, directories, linkCount, others, bytes.get(), List.copyOf(problems), moreProblems);
    }

    /** A refused directory whose entries are being skipped, or {@code null}. */
    private byte[] skipping;

    private static boolean under(byte[] path, byte[] dir) {
        return path.length > dir.length && path[dir.length] == '/'
                && java.util.Arrays.equals(path, 0, dir.length, dir, 0, dir.length);
    }

    private static String key(byte[] p) {
        return new String(p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private void visit(byte[] path, Entry e) throws IOException {
        try {
            switch (e.type()) {
                case DIRECTORY -> {
                    Path p = dest.place(path);
                    boolean existed = Destination.attributes(p) != null;
                    dest.directory(path);
                    if (!existed) {
                        madeDirs.add(key(path));
                    }
                    directories++;
                }
                case FILE -> {
                    window.add(new FileJob(path, e));
                    if (window.size() >= o.windowFiles()) {
                        flush();
                    }
                }
                case SYMLINK, HARDLINK -> links.add(new Deferred(path, e));
                default -> {
                    if (o.special()) {
                        links.add(new Deferred(path, e));
                    } else {
                        problem(path, "skipped: a " + e.type().name().toLowerCase().replace('_', ' ')
                                + " (restored only with --special)", false);
                    }
                }
            }
        } catch (Destination.Refused r) {
            if (e.type() == EntryType.DIRECTORY) {
                skipping = path;
            }
            problem(path, r.getMessage().startsWith(Names.display(path) + ": ") ? r.getMessage()
                    .substring(Names.display(path).length() + 2) : r.getMessage(), false);
        }
    }

    /** Restores the window's files, then the deferred links, then the metadata of the directories left. */
    private void flush() throws IOException {
        restoreFiles();
        window.clear();
        for (Deferred d : links) {
            try {
                restoreLink(d);
            } catch (IOException e) {
                problem(d.path(), message(e), e instanceof FileAlreadyExistsException);
            }
        }
        links.clear();
        for (DirJob d : leftDirs) {
            try {
                Path p = dest.directory(d.path());
                Metadata.apply(p, d.entry(), o.owner(), o.xattrs(), true);
            } catch (IOException e) {
                problem(d.path(), "metadata: " + message(e), false);
            }
        }
        leftDirs.clear();
    }

    private void restoreFiles() throws IOException {
        TreeMap<Long, List<Piece>> byBlock = new TreeMap<>();
        List<FileJob> jobs = new ArrayList<>();
        for (FileJob j : window) {
            try {
                j.target = dest.place(j.path);
                BasicFileAttributes a = Destination.attributes(j.target);
                if (a != null && (!o.force() || a.isDirectory())) {
                    problem(j.path, a.isDirectory() ? "exists and is a directory" : "already exists (use -f to "
                            + "overwrite)", !a.isDirectory());
                    continue;
                }
                List<ChunkRef> chunks = view.chunks(j.entry);
                long off = 0;
                long stored = 0;
                List<Piece> mine = new ArrayList<>(chunks.size());
                List<Long> blocks = new ArrayList<>(chunks.size());
                for (ChunkRef c : chunks) {
                    if (!c.isHole()) {
                        BlobTable.Location l = data.locate(c.id());
                        if (l == null || l.type() != BlobTable.DATA || l.length() != c.length()) {
                            throw new dev.mmh.CorruptDataException("chunk " + c.id().shortHex() + (l == null
                                    ? " is not in the archive" : " does not match its blob table entry"), -1, -1);
                        }
                        mine.add(new Piece(j, off, l.offset(), l.length()));
                        blocks.add(l.block());
                        stored += c.length();
                        j.dataEnd = off + c.length();
                    }
                    off += c.length();
                }
                j.remaining.set(stored);
                j.temp = RawNames.resolve(j.target.getParent(), (".mmh-" + ProcessHandle.current().pid() + "-"
                        + TEMP.incrementAndGet() + ".tmp").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                dev.mmh.io.AtomicOutput.deleteOnShutdown(j.temp);
                for (int i = 0; i < mine.size(); i++) {
                    byBlock.computeIfAbsent(blocks.get(i), k -> new ArrayList<>()).add(mine.get(i));
                }
                jobs.add(j);
                if (stored == 0) {
                    finishFile(j);
                }
            } catch (Destination.Refused r) {
                problem(j.path, r.getMessage(), false);
            } catch (dev.mmh.MmhException e) {
                problem(j.path, message(e), false);
            }
        }
        runBlocks(byBlock);
        for (FileJob j : jobs) {
            if (j.failed != null) {
                problem(j.path, j.failed, j.failed.startsWith("already exists"));
                discard(j);
            } else if (j.remaining.get() != 0) {
                problem(j.path, "not restored: " + j.remaining.get() + " bytes missing", false);
                discard(j);
            } else {
                files++;
            }
        }
    }

    /** Decodes each block once, on the workers, a few at a time, and writes its pieces. */
    private void runBlocks(TreeMap<Long, List<Piece>> byBlock) throws IOException {
        if (byBlock.isEmpty()) {
            return;
        }
        try (dev.mmh.work.WorkerPool.Use use = dev.mmh.work.WorkerPool.use(pool, o.threads());
             dev.mmh.work.OrderedPipeline<Boolean> pipe = new dev.mmh.work.OrderedPipeline<>(use.pool(),
                     2 * use.pool().parallelism(), done -> { })) {
            for (Map.Entry<Long, List<Piece>> b : byBlock.entrySet()) {
                pipe.submit(t -> {
                    writeBlock(t, b.getKey(), b.getValue());
                    return Boolean.TRUE;
                });
            }
            pipe.finish();
        }
    }

    private void writeBlock(dev.mmh.work.WorkerState t, long number, List<Piece> pieces) throws IOException {
        ArchiveData.Block b;
        try {
            b = data.lend(t, number);
        } catch (dev.mmh.MmhException e) {
            for (Piece p : pieces) {
                p.job().failed = message(e);
            }
            return;
        }
        try {
            writePieces(b, number, pieces);
        } finally {
            data.release(b);
        }
    }

    /** Writes {@code pieces} from the decoded block {@code b}; a failure is recorded on the piece's file. */
    private void writePieces(ArchiveData.Block b, long number, List<Piece> pieces) {
        // a file's pieces in this block are side by side in the list: one open and close for them all, and pieces
        // that continue each other both in the block and in the file (most of a file's chunks) in one write
        for (int i = 0, end; i < pieces.size(); i = end) {
            FileJob j = pieces.get(i).job();
            end = i + 1;
            while (end < pieces.size() && pieces.get(end).job() == j) {
                end++;
            }
            if (j.failed != null) {
                continue;
            }
            long written = 0;
            try (FileChannel ch = j.open()) {
                for (int k = i, run; k < end; k = run) {
                    Piece p = pieces.get(k);
                    long at = p.fileOffset();
                    long from = p.blockOffset();
                    long to = from + p.length();
                    for (run = k + 1; run < end; run++) {
                        Piece q = pieces.get(run);
                        if (q.blockOffset() != to || q.fileOffset() != at + (to - from) || to - from >= MAX_WRITE) {
                            break;
                        }
                        to += q.length();
                    }
                    if (to > b.length()) {
                        j.failed = "block " + number + ": a chunk lies outside the block";
                        break;
                    }
                    ByteBuffer buf = ByteBuffer.wrap(b.bytes(), (int) from, (int) (to - from));
                    while (buf.hasRemaining()) {
                        at += ch.write(buf, at);
                    }
                    written += to - from;
                    bytes.addAndGet(to - from);
                    progress.accept(to - from);
                }
            } catch (IOException e) {
                j.failed = message(e);
            }
            if (j.failed == null && j.remaining.addAndGet(-written) == 0) {
                try {
                    finishFile(j);
                } catch (IOException e) {
                    j.failed = message(e);
                }
            }
        }
    }

    /** Sets the length, metadata and time of a complete file and renames it into place. */
    private void finishFile(FileJob j) throws IOException {
        if (j.dataEnd < j.entry.size() || !j.created()) {
            // empty, all holes, or ending in a hole: made (or extended) here; a trailing hole stays a hole
            try (FileChannel ch = j.open()) {
                if (ch.size() < j.entry.size()) {
                    ch.write(ByteBuffer.allocate(1), j.entry.size() - 1);
                }
            }
        }
        Metadata.apply(j.temp, j.entry, o.owner(), o.xattrs(), false);
        try {
            if (o.force()) {
                Files.move(j.temp, j.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.createLink(j.target, j.temp);
                Files.delete(j.temp);
            }
        } catch (FileAlreadyExistsException e) {
            j.failed = "already exists (use -f to overwrite)";
            return;
        }
        dev.mmh.io.AtomicOutput.keepOnShutdown(j.temp);
    }

    private void discard(FileJob j) {
        try {
            if (j.temp != null) {
                Files.deleteIfExists(j.temp);
                dev.mmh.io.AtomicOutput.keepOnShutdown(j.temp);
            }
        } catch (IOException ignored) {
            // the file was already reported; a temporary file that cannot be deleted is left to the OS
        }
    }

    private void restoreLink(Deferred d) throws IOException {
        Entry e = d.entry();
        Path p = dest.place(d.path());
        BasicFileAttributes a = Destination.attributes(p);
        if (a != null) {
            if (!o.force() || a.isDirectory()) {
                throw new FileAlreadyExistsException(Names.display(d.path()), null, a.isDirectory()
                        ? "exists and is a directory" : "already exists (use -f to overwrite)");
            }
            Files.delete(p);
        }
        switch (e.type()) {
            case SYMLINK -> {
                Files.createSymbolicLink(p, RawNames.path(e.target()));
                Metadata.apply(p, e, o.owner(), false, false);
                linkCount++;
            }
            case HARDLINK -> {
                Path target = dest.place(e.target());
                BasicFileAttributes t = Destination.attributes(target);
                if (t != null && t.isRegularFile()) {
                    Files.createLink(p, target);
                    linkCount++;
                } else {
                    Entry f = view.lookup(e.target());
                    if (f == null || f.type() != EntryType.FILE) {
                        throw new IOException("hard link to " + Names.display(e.target())
                                + ", which is not a file of this version");
                    }
                    // the linked file was not restored (not selected): restore its content here
                    window.add(new FileJob(d.path(), f));
                    restoreFiles();
                    window.clear();
                }
            }
            default -> {
                Specials.make(p, e);
                Metadata.apply(p, e, o.owner(), o.xattrs(), false);
                others++;
            }
        }
    }

    private void problem(byte[] path, String reason, boolean exists) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(Names.display(path), reason, exists));
        } else {
            moreProblems++;
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
