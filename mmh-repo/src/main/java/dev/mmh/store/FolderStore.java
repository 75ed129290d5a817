package dev.mmh.store;

import dev.mmh.io.AtomicOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * A store in a local folder (or any mounted file system): object {@code a/b/c} is the file {@code ROOT/a/b/c}, so a
 * repository has the same layout here as on S3, and its fan-out names ({@code packs/ab/...}) make fan-out folders,
 * created as needed.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Atomic puts</b> through {@link AtomicOutput}: the bytes go to a hidden temporary file
 *       ({@code .NAME.xxxx.mmh-tmp}) in the object's folder, are forced to disk, and the file is renamed to the
 *       name; then the folder itself is forced, so the rename survives a power cut. A failed or interrupted put
 *       deletes its temporary file (also on Ctrl-C); a killed process leaves it, invisible to {@link #list}, and
 *       {@link #removeIncomplete} deletes such leftovers.</li>
 *   <li><b>Conditional puts</b> by {@code link(2)}: the temporary file is hard-linked to the name, which fails if
 *       the name exists, atomically on every POSIX file system. Where hard links are not supported (some FUSE and
 *       SMB mounts) the store checks and then renames: not atomic ({@link Capabilities#atomicPutIfAbsent()} is
 *       false there).</li>
 *   <li><b>Listing</b> walks the folders with one open {@link DirectoryStream} per level, reading entries as it
 *       goes ({@code readdir}), so a folder of a million names is never held in memory.</li>
 *   <li>No checksums at rest: a get checks the object's size as it reads (a file cut short is an
 *       {@link IntegrityException}); the repository's data carries its own checksums.</li>
 * </ul>
 *
 * <p>A name can not be both an object and the folder of other objects ({@code a} and {@code a/b}): a repository's
 * layout never needs that, and a folder store refuses it with a {@link PermanentStoreException}. No retries: a local
 * file system's errors are not transient. Thread-safe; several processes may use one folder at once.
 */
public final class FolderStore implements ObjectStore {
    private static final String TEMP_SUFFIX = ".mmh-tmp";

    private final Path root;
    private final String url;
    private final StoreMetrics metrics = new StoreMetrics();
    private volatile Capabilities capabilities;

    private FolderStore(Path root) {
        this.root = root;
        this.url = root.toString();
    }

    /**
     * Opens the store in an existing folder.
     *
     * @throws PermanentStoreException if {@code root} is not a folder
     */
    public static FolderStore open(Path root) throws StoreException {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new PermanentStoreException(abs.toString(), null, "no such folder", null);
        }
        return new FolderStore(abs);
    }

    /**
     * Opens the store in a folder, creating it (and its parents) if needed.
     *
     * @throws PermanentStoreException if it cannot be created
     */
    public static FolderStore create(Path root) throws StoreException {
        Path abs = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new PermanentStoreException(abs.toString(), null, "cannot create the folder: " + e, e);
        }
        return new FolderStore(abs);
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public StoreMetrics metrics() {
        return metrics;
    }

    @Override
    public Capabilities capabilities() throws StoreException {
        Capabilities c = capabilities;
        if (c == null) {
            c = hardLinks() ? new Capabilities(true, "link(2) of a temporary file (atomic)")
                    : new Capabilities(false, "check, then rename (this file system has no hard links: not atomic)");
            capabilities = c;
        }
        return c;
    }

    /** Whether this file system makes hard links (tried once with two temporary files in the root). */
    private boolean hardLinks() throws StoreException {
        Path a = root.resolve(".link-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + TEMP_SUFFIX);
        Path b = root.resolve(a.getFileName() + ".2" + TEMP_SUFFIX);
        try {
            Files.createFile(a);
            try {
                Files.createLink(b, a);
                return true;
            } catch (UnsupportedOperationException | IOException e) {
                return false;
            }
        } catch (IOException e) {
            throw failure(null, "cannot write in the folder", e);
        } finally {
            try {
                Files.deleteIfExists(b);
                Files.deleteIfExists(a);
            } catch (IOException ignored) {
                // a probe file left behind is hidden and removed by removeIncomplete
            }
        }
    }

    private Path path(String name) {
        Names.check(name);
        return root.resolve(name);
    }

    @Override
    public void put(String name, Content content) throws StoreException {
        write(name, content, true);
    }

    @Override
    public void putIfAbsent(String name, Content content) throws StoreException {
        write(name, content, false);
    }

    private void write(String name, Content content, boolean replace) throws StoreException {
        Path target = path(name);
        metrics.request(StoreMetrics.Kind.PUT);
        Path dir = target.getParent();
        makeFolders(name, dir);
        try (AtomicOutput out = AtomicOutput.create(target, replace)) {
            long n = copy(name, content, out.stream());
            metrics.sent(n);
            out.commit();
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new PermanentStoreException(url, name, "a folder of other objects has this name", e);
            }
            if (target.toString().equals(e.getFile())) {
                throw new ObjectExistsException(url, name);
            }
            throw failure(name, "cannot write", e);
        } catch (IOException e) {
            if (e instanceof StoreException se) {
                throw se;
            }
            throw failure(name, "cannot write", e);
        }
        // the rename is durable once the folder holding it is on disk
        syncFolder(name, dir);
    }

    /** Creates the folders of a name that do not exist, each forced to disk in its parent. */
    private void makeFolders(String name, Path dir) throws StoreException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path top = dir;
        while (!top.getParent().equals(root) && !Files.exists(top.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            top = top.getParent();
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new PermanentStoreException(url, name, "an object has the name of one of its folders ("
                    + root.relativize(Path.of(e.getFile())) + ")", e);
        } catch (IOException e) {
            throw failure(name, "cannot create its folder", e);
        }
        // each new folder reaches the disk in its parent, from the deepest up to the first that existed
        for (Path d = dir; ; d = d.getParent()) {
            syncFolder(name, d.getParent());
            if (d.equals(top)) {
                break;
            }
        }
    }

    private long copy(String name, Content content, OutputStream out) throws StoreException, IOException {
        long n = 0;
        try (InputStream in = content.open()) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                n += r;
                if (n > content.size()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new PermanentStoreException(url, name, "cannot read the content to put: " + e, e);
        }
        if (n != content.size()) {
            throw new PermanentStoreException(url, name, "the content gave " + (n > content.size() ? "more than "
                    : "") + n + " bytes, not the " + content.size() + " it stated", null);
        }
        return n;
    }

    private void syncFolder(String name, Path dir) throws StoreException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open or force a folder (not Linux's); the file itself was forced
            if (!(e instanceof FileSystemException) || e instanceof NoSuchFileException) {
                throw failure(name, "cannot force its folder to disk", e);
            }
        }
    }

    @Override
    public InputStream get(String name) throws StoreException {
        return open(name, 0, -1);
    }

    @Override
    public InputStream get(String name, long offset, long length) throws StoreException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        return open(name, offset, length);
    }

    private InputStream open(String name, long offset, long length) throws StoreException {
        Path p = path(name);
        metrics.request(StoreMetrics.Kind.GET);
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new ObjectNotFoundException(url, name);
        } catch (IOException e) {
            if (!Files.isRegularFile(p)) {
                throw new ObjectNotFoundException(url, name); // a folder, or a parent is a file (ENOTDIR)
            }
            throw failure(name, "cannot open", e);
        }
        try {
            if (!Files.isRegularFile(p)) {
                ch.close();
                throw new ObjectNotFoundException(url, name); // a folder of other objects opens too
            }
            long size = ch.size();
            if (length < 0) {
                length = size;
            } else if (offset + length > size || offset + length < 0) {
                throw new PermanentStoreException(url, name, "range " + offset + "+" + length
                        + " is past the object's end (" + size + " bytes)", null);
            }
            return new FileRangeStream(name, ch, offset, length);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw failure(name, "cannot read", e);
        }
    }

    /** {@code length} bytes of a file from {@code offset}, by positional reads; a file cut short is an error. */
    private final class FileRangeStream extends InputStream {
        private final String name;
        private final FileChannel ch;
        private final long end;
        private long pos;

        FileRangeStream(String name, FileChannel ch, long offset, long length) {
            this.name = name;
            this.ch = ch;
            this.pos = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (pos >= end) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int want = (int) Math.min(len, end - pos);
            int n;
            try {
                n = ch.read(ByteBuffer.wrap(b, off, want), pos);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw failure(name, "cannot read", e);
            }
            if (n < 0) {
                throw new IntegrityException(url, name, "the object ended early", "end at " + end, "end at " + pos);
            }
            pos += n;
            metrics.received(n);
            return n;
        }

        @Override
        public long skip(long n) {
            long s = Math.max(0, Math.min(n, end - pos));
            pos += s;
            return s;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @Override
    public Optional<ObjectInfo> head(String name) throws StoreException {
        Path p = path(name);
        metrics.request(StoreMetrics.Kind.HEAD);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new ObjectInfo(name, a.size(), a.lastModifiedTime().toInstant()));
        } catch (IOException e) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // also when a parent is a file (ENOTDIR)
            }
            throw failure(name, "cannot read its attributes", e);
        }
    }

    @Override
    public void delete(String name) throws StoreException {
        Path p = path(name);
        metrics.request(StoreMetrics.Kind.DELETE);
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.deleteIfExists(p)) {
                syncFolder(name, p.getParent());
            }
        } catch (IOException e) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw failure(name, "cannot delete", e);
            }
            // a parent is a file (ENOTDIR): there is no such object
        }
    }

    @Override
    public Listing list(String prefix) throws StoreException {
        Names.checkPrefix(prefix);
        metrics.request(StoreMetrics.Kind.LIST);
        int slash = prefix.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : prefix.substring(0, slash + 1);
        String first = prefix.substring(slash + 1);
        Path dir = dirPart.isEmpty() ? root : root.resolve(dirPart);
        return new Walk(dir, dirPart, first);
    }

    /**
     * Walks folders depth first with one open {@link DirectoryStream} per level; entries whose names start with a
     * dot (temporary files, probes) are skipped.
     */
    private final class Walk implements Listing {
        private final Deque<Level> stack = new ArrayDeque<>();
        private final String firstFilter;
        private boolean closed;

        private record Level(DirectoryStream<Path> stream, Iterator<Path> it, String prefix, boolean top) {
        }

        Walk(Path dir, String dirPrefix, String firstFilter) throws StoreException {
            this.firstFilter = firstFilter;
            push(dir, dirPrefix, true);
        }

        private void push(Path dir, String prefix, boolean top) throws StoreException {
            DirectoryStream<Path> s;
            try {
                s = Files.newDirectoryStream(dir);
            } catch (NoSuchFileException | NotDirectoryException e) {
                return;
            } catch (IOException e) {
                close();
                throw failure(null, "cannot list " + dir, e);
            }
            stack.push(new Level(s, s.iterator(), prefix, top));
        }

        @Override
        public ObjectInfo next() throws StoreException {
            if (closed) {
                return null;
            }
            while (!stack.isEmpty()) {
                Level level = stack.peek();
                Path p;
                try {
                    if (!level.it.hasNext()) {
                        stack.pop();
                        level.stream.close();
                        continue;
                    }
                    p = level.it.next();
                } catch (DirectoryIteratorException e) {
                    close();
                    throw failure(null, "cannot list " + level.prefix, e.getCause());
                } catch (IOException e) {
                    close();
                    throw failure(null, "cannot list " + level.prefix, e);
                }
                String file = p.getFileName().toString();
                if (file.startsWith(".") || level.top && !file.startsWith(firstFilter)) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // deleted meanwhile
                } catch (IOException e) {
                    close();
                    throw failure(null, "cannot list " + p, e);
                }
                String name = level.prefix + file;
                if (a.isDirectory()) {
                    push(p, name + "/", false);
                } else if (a.isRegularFile() && Names.isValid(name)) {
                    return new ObjectInfo(name, a.size(), a.lastModifiedTime().toInstant());
                }
            }
            return null;
        }

        @Override
        public void close() {
            closed = true;
            while (!stack.isEmpty()) {
                try {
                    stack.pop().stream.close();
                } catch (IOException ignored) {
                    // closing a directory stream only releases its handle
                }
            }
        }
    }

    /**
     * Deletes the hidden temporary files ({@code .*.mmh-tmp}) older than {@code age} that killed puts left
     * behind; see {@link ObjectStore#removeIncomplete}.
     */
    @Override
    public long removeIncomplete(Duration age) throws StoreException {
        Instant before = Instant.now().minus(age);
        long n = 0;
        Deque<Path> dirs = new ArrayDeque<>();
        dirs.push(root);
        while (!dirs.isEmpty()) {
            Path dir = dirs.pop();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    String f = p.getFileName().toString();
                    if (a.isDirectory()) {
                        dirs.push(p);
                    } else if (f.startsWith(".") && f.endsWith(TEMP_SUFFIX)
                            && a.lastModifiedTime().toInstant().isBefore(before) && Files.deleteIfExists(p)) {
                        n++;
                    }
                }
            } catch (NoSuchFileException e) {
                // removed meanwhile
            } catch (IOException e) {
                throw failure(null, "cannot clean " + dir, e);
            }
        }
        return n;
    }

    private StoreException failure(String name, String what, IOException e) {
        String msg = what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        if (e instanceof AccessDeniedException) {
            msg = what + ": permission denied";
        }
        return new PermanentStoreException(url, name, msg, e);
    }

    /** Nothing to release: every stream and listing holds its own handles. */
    @Override
    public void close() {
    }
}
