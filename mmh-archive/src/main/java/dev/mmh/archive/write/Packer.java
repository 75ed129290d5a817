package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Limits;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.fs.RawNames;
import dev.mmh.archive.fs.Scan;
import dev.mmh.chunk.Chunker;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.chunk.IdFunction;
import dev.mmh.chunk.TensorBoundaries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Packs trees of files into blobs: walks the given paths in name order, cuts files into content-defined chunks,
 * stores each chunk the archive does not hold yet, and builds the trees of the version.
 *
 * <p>The walk is taken in segments (at most {@link Options#segmentFiles()} files or {@link Options#segmentBytes()}
 * bytes): a segment's files are read in the order of similarity (by kind, then name, then path: versions of one file
 * side by side), so that the blocks hold related data together and the codec sees it in one window; then the
 * segment's entries are replayed in name order into the directories' trees. Memory is one segment of entries, the
 * directories open along the walk (a page each), the blob index and the blocks in flight.
 *
 * <p>Chunks are cut on the calling thread and hashed by {@link Hashing} on worker threads; the calling thread then
 * takes them back in order, looks each up in the {@link BlobIndex} and copies the new ones into the current data
 * block, which goes to the {@link BlockSink} when full. Trees and long chunk lists go into metadata blocks of their
 * own. Blobs never straddle blocks. Not thread-safe; one pack per instance.
 */
public final class Packer {
    /**
     * @param chunker how files are cut
     * @param ids how blob IDs are made
     * @param owner store owners
     * @param xattrs store extended attributes
     * @param special store FIFOs and device files (else they are skipped and reported)
     * @param segmentFiles files per segment
     * @param segmentBytes bytes per segment
     */
    public record Options(ChunkerParams chunker, IdFunction ids, boolean owner, boolean xattrs, boolean special,
            int segmentFiles, long segmentBytes) {
        public static Options defaults(ChunkerParams chunker) {
            return new Options(chunker, IdFunction.SHA256, false, false, false, 65_536, 4L << 30);
        }
    }

    /** A path to pack, stored at the top of the version under {@code name}. */
    public record Source(Path path, byte[] name) {
    }

    /** Something that was not packed (or was packed as found), one line. */
    public record Problem(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    /** What a pack made: the version's root tree and its counts. */
    public record Outcome(BlobId root, long files, long directories, long others, long bytes, long newBytes,
            long newestSeconds, int newestNanos, List<Problem> problems) {
    }

    private final Options o;
    private final BlobIndex index;
    private final BlockSink sink;
    private final Hashing hashing;
    private final Ids metaIds;
    private final LongConsumer progress;
    private final BlockBuilder data;
    private final BlockBuilder meta;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Long, Map<Long, byte[]>> inodes = new HashMap<>(); // dev -> ino -> first path
    private final List<Item> segment = new ArrayList<>();
    private long segmentBytes;
    private int segmentFiles;
    private final Deque<Open> dirs = new ArrayDeque<>();
    private long files;
    private long directories;
    private long others;
    private long bytes;
    private long newBytes;
    private long newestSeconds = Long.MIN_VALUE;
    private int newestNanos;
    /** The archive's previous version, whose unchanged files are taken without reading them; or {@code null}. */
    private dev.mmh.archive.read.FolderView previous;
    private long reused;

    /**
     * @param index the blobs the archive already holds (empty for a new archive); this pack adds to it
     * @param hashing the workers that hash chunks (and their pool)
     * @param progress told the bytes of each file read
     */
    public Packer(Options o, BlobIndex index, BlockSink sink, Hashing hashing, LongConsumer progress) {
        this.o = o;
        this.index = index;
        this.sink = sink;
        this.hashing = hashing;
        this.metaIds = new Ids(o.ids());
        this.progress = progress;
        this.data = new BlockBuilder(false);
        this.meta = new BlockBuilder(true);
    }

    /**
     * Takes the files of {@code before} (the archive's latest version) whose path, size and modification time (to
     * the nanosecond) match without reading them: their chunks are the ones the archive already holds. The check
     * backup tools make (rsync's quick check); an append with {@code --rehash} reads every file instead.
     */
    public void reuseFrom(dev.mmh.archive.read.FolderView before) {
        this.previous = before;
    }

    /** Bytes of files taken from the previous version without reading them. */
    public long reusedBytes() {
        return reused;
    }

    // ---- the walk ----

    /** An entry of the walk, replayed into the trees once its segment's files are stored. */
    private sealed interface Item permits Enter, Leave, FileItem, Leaf {
    }

    private record Enter(byte[] name, Scan.Info info) implements Item {
    }

    private record Leave() implements Item {
    }

    private record Leaf(Entry entry) implements Item {
    }

    /** A file to store; its content is filled in when its segment is stored. */
    private static final class FileItem implements Item {
        final Path path;
        final byte[] rel;
        final byte[] name;
        final Scan.Info info;
        ChunkListBuilder list;
        long size;
        boolean sparse;
        String failed;
        /** The previous version's entry when the file is unchanged (not read), else {@code null}. */
        Entry unchanged;

        FileItem(Path path, byte[] rel, byte[] name, Scan.Info info) {
            this.path = path;
            this.rel = rel;
            this.name = name;
            this.info = info;
        }
    }

    /** A directory open on the walk: its builder and its own metadata. */
    private record Open(DirectoryBuilder builder, byte[] name, Scan.Info info) {
    }

    /** A directory being walked: its entries' names, sorted, and the next one to take. */
    private record Frame(Path dir, byte[] rel, List<byte[]> names, int next) {
    }

    /**
     * Packs {@code sources} (names must differ) as one version.
     *
     * @throws IOException for failures that stop the pack (the output, the archive); unreadable inputs are
     *     {@link Outcome#problems()}
     */
    public Outcome pack(List<Source> sources) throws IOException {
        List<Source> sorted = new ArrayList<>(sources);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Arrays.equals(sorted.get(i - 1).name(), sorted.get(i).name())) {
                throw new IllegalArgumentException("two paths to pack have the same name "
                        + Names.display(sorted.get(i).name()));
            }
        }
        dirs.push(new Open(new DirectoryBuilder(this::putMeta), new byte[0], null));
        for (Source s : sorted) {
            Scan.Info info;
            try {
                info = Scan.read(s.path(), o.owner(), o.xattrs());
            } catch (IOException e) {
                problems.add(new Problem(s.path().toString(), message(e)));
                continue;
            }
            visit(s.path(), s.name(), s.name(), info);
        }
        flushSegment();
        Open root = dirs.pop();
        BlobId rootId = root.builder().finish();
        data.flush();
        meta.flush();
        return new Outcome(rootId, files, directories, others, bytes, newBytes,
                newestSeconds == Long.MIN_VALUE ? 0 : newestSeconds, newestNanos, List.copyOf(problems));
    }

    /** Takes one path of the walk; a directory is walked with an explicit stack (deep trees cost no Java stack). */
    private void visit(Path p, byte[] rel, byte[] name, Scan.Info info) throws IOException {
        if (info.type() != EntryType.DIRECTORY) {
            leaf(p, rel, name, info);
            return;
        }
        Deque<Frame> stack = new ArrayDeque<>();
        if (!enter(p, rel, name, info, stack)) {
            return;
        }
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            if (f.next() == f.names().size()) {
                segment.add(new Leave());
                continue;
            }
            stack.push(new Frame(f.dir(), f.rel(), f.names(), f.next() + 1));
            byte[] n = f.names().get(f.next());
            Path child = RawNames.resolve(f.dir(), n);
            byte[] childRel = Names.join(f.rel(), n);
            Scan.Info ci;
            try {
                ci = Scan.read(child, o.owner(), o.xattrs());
            } catch (IOException e) {
                problems.add(new Problem(Names.display(childRel), message(e)));
                continue;
            }
            if (ci.type() == EntryType.DIRECTORY) {
                if (stack.size() >= Limits.MAX_DEPTH) {
                    problems.add(new Problem(Names.display(childRel), "deeper than " + Limits.MAX_DEPTH
                            + " levels: not stored"));
                    continue;
                }
                enter(child, childRel, n, ci, stack);
            } else {
                leaf(child, childRel, n, ci);
            }
        }
    }

    private boolean enter(Path p, byte[] rel, byte[] name, Scan.Info info, Deque<Frame> stack) {
        List<byte[]> names;
        try {
            names = Scan.names(p);
        } catch (IOException e) {
            problems.add(new Problem(Names.display(rel), "cannot list the directory: " + message(e)));
            return false;
        }
        newest(info);
        directories++;
        segment.add(new Enter(name, info));
        stack.push(new Frame(p, rel, names, 0));
        return true;
    }

    private void leaf(Path p, byte[] rel, byte[] name, Scan.Info info) throws IOException {
        if (info.type() == null) {
            problems.add(new Problem(Names.display(rel), "a socket: not stored"));
            return;
        }
        newest(info);
        switch (info.type()) {
            case FILE -> {
                if (info.links() > 1) {
                    Map<Long, byte[]> byIno = inodes.computeIfAbsent(info.dev(), k -> new HashMap<>());
                    byte[] first = byIno.get(info.ino());
                    if (first != null) {
                        segment.add(new Leaf(base(name, info, EntryType.HARDLINK).target(first).build()));
                        others++;
                        return;
                    }
                    byIno.put(info.ino(), rel);
                }
                segment.add(new FileItem(p, rel, name, info));
                files++;
                segmentFiles++;
                segmentBytes += info.size();
                if (segmentFiles >= o.segmentFiles() || segmentBytes >= o.segmentBytes()) {
                    flushSegment();
                }
            }
            case SYMLINK -> {
                segment.add(new Leaf(base(name, info, EntryType.SYMLINK).target(info.target()).build()));
                others++;
            }
            default -> {
                if (!o.special()) {
                    problems.add(new Problem(Names.display(rel), "a " + info.type().name().toLowerCase()
                            .replace('_', ' ') + ": stored only with --special"));
                    return;
                }
                segment.add(new Leaf(base(name, info, info.type()).major(info.major()).minor(info.minor()).build()));
                others++;
            }
        }
    }

    private void newest(Scan.Info i) {
        if (i.mtimeSeconds() > newestSeconds || i.mtimeSeconds() == newestSeconds && i.mtimeNanos() > newestNanos) {
            newestSeconds = i.mtimeSeconds();
            newestNanos = i.mtimeNanos();
        }
    }

    private Entry.Builder base(byte[] name, Scan.Info i, EntryType type) {
        Entry.Builder b = Entry.builder(name, type).mode(i.mode()).mtime(i.mtimeSeconds(), i.mtimeNanos());
        if (o.owner()) {
            b.owner(i.owner());
        }
        if (o.xattrs() && !i.xattrs().isEmpty()) {
            b.xattrs(i.xattrs());
        }
        return b;
    }

    // ---- a segment: store its files in similarity order, then replay its entries into the trees ----

    // ---- a tar stream ----

    /** A node of the tree a tar stream builds: a directory's children by name, or a leaf entry, or a file. */
    private static final class Node {
        final byte[] name;
        final java.util.TreeMap<byte[], Node> children; // null unless a directory
        Scan.Info info;
        Entry leaf; // a link, device or FIFO
        FileItem file;

        Node(byte[] name, boolean directory) {
            this.name = name;
            this.children = directory ? new java.util.TreeMap<>(Arrays::compareUnsigned) : null;
        }
    }

    /**
     * Packs a tar stream as one version, in the stream's order (files cannot be reordered without holding them): the
     * entries' paths are relative to the version's top (a leading '/' is dropped and said so); an entry with a
     * '..' component, one below a link or a file, or a hard link to anything but an earlier file is refused and
     * reported; directories the stream does not list are made (mode 0755, time 0). The tree is held in memory
     * (about 200 bytes an entry) until the stream ends.
     */
    public Outcome packTar(java.io.InputStream tar) throws IOException {
        dev.mmh.archive.tar.TarReader r = new dev.mmh.archive.tar.TarReader(tar);
        Node root = new Node(new byte[0], true);
        Map<Node, List<Object[]>> linked = new java.util.IdentityHashMap<>(); // file node -> (link node, its path)
        Map<Node, byte[]> filePaths = new java.util.IdentityHashMap<>();
        try (Chunker chunker = Chunker.open(o.chunker())) {
            Batch batch = hashing.newBatch();
            dev.mmh.archive.tar.TarReader.Header h;
            while ((h = r.next()) != null) {
                List<byte[]> parts = tarPath(h.path(), h.shown());
                if (parts == null) {
                    continue;
                }
                Node parent = root;
                byte[] rel = new byte[0];
                boolean refused = false;
                for (int i = 0; i < parts.size() - 1; i++) {
                    rel = Names.join(rel, parts.get(i));
                    Node c = parent.children.get(parts.get(i));
                    if (c == null) {
                        c = new Node(parts.get(i), true);
                        c.info = new Scan.Info(EntryType.DIRECTORY, 0755, 0, 0, 0, 0, 0, 1, 0, null, List.of(), null);
                        parent.children.put(parts.get(i), c);
                    } else if (c.children == null) {
                        problems.add(new Problem(h.shown(), "refused: " + Names.display(rel) + " is not a directory "
                                + "(a path never goes through a link)"));
                        refused = true;
                        break;
                    }
                    parent = c;
                }
                if (refused) {
                    continue;
                }
                byte[] name = parts.get(parts.size() - 1);
                byte[] path = Names.join(rel, name);
                Scan.Info info = tarInfo(h);
                newest(info);
                Node n;
                switch (h.type()) {
                    case DIRECTORY -> {
                        n = parent.children.get(name);
                        if (n == null || n.children == null) {
                            n = new Node(name, true);
                            parent.children.put(name, n);
                        }
                        n.info = info;
                        continue;
                    }
                    case FILE -> {
                        n = new Node(name, false);
                        FileItem f = new FileItem(null, path, name, info);
                        f.list = new ChunkListBuilder(this::putMeta);
                        batch.startFile(f);
                        long[] map = r.sparseMap();
                        java.nio.channels.ReadableByteChannel src = java.nio.channels.Channels.newChannel(r.content());
                        if (map == null) {
                            batch = readContent(f, src, chunker, new long[0], batch, Long.MAX_VALUE);
                        } else {
                            long at = 0;
                            for (int i = 0; i < map.length; i += 2) {
                                if (map[i] > at) {
                                    batch.hole(map[i] - at);
                                }
                                batch = readContent(f, src, chunker, new long[0], batch, map[i + 1]);
                                at = map[i] + map[i + 1];
                            }
                            if (h.realSize() > at) {
                                batch.hole(h.realSize() - at);
                            }
                            f.sparse = true;
                        }
                        batch.endFile();
                        f.size = h.size();
                        bytes += f.size;
                        n.file = f;
                        n.info = info;
                        filePaths.put(n, path);
                    }
                    case SYMLINK -> {
                        n = new Node(name, false);
                        n.leaf = base(name, info, EntryType.SYMLINK).target(h.linkTarget()).build();
                    }
                    case HARDLINK -> {
                        List<byte[]> target = tarPath(h.linkTarget(), h.shown(), false);
                        Node t = target == null ? null : find(root, target);
                        if (t == null || t.file == null) {
                            problems.add(new Problem(h.shown(), "refused: a hard link to "
                                    + Names.display(h.linkTarget()) + ", which is not an earlier file of the stream"));
                            continue;
                        }
                        byte[] tp = new byte[0];
                        for (byte[] c : target) {
                            tp = Names.join(tp, c);
                        }
                        n = new Node(name, false);
                        n.info = info;
                        n.leaf = base(name, info, EntryType.HARDLINK).target(tp).build();
                        linked.computeIfAbsent(t, k -> new ArrayList<>()).add(new Object[] {n, path});
                    }
                    default -> {
                        if (!o.special()) {
                            problems.add(new Problem(h.shown(), "a " + h.type().name().toLowerCase().replace('_', ' ')
                                    + ": stored only with --special"));
                            continue;
                        }
                        n = new Node(name, false);
                        n.leaf = base(name, info, h.type()).major(h.major()).minor(h.minor()).build();
                    }
                }
                Node old = parent.children.put(name, n);
                if (old != null && old.children != null) {
                    problems.add(new Problem(h.shown(), "replaces a directory of the same name listed before"));
                }
            }
            hashing.submit(batch, this::stored);
            hashing.finish(this::stored);
        }
        firstNameHoldsTheFile(linked, filePaths);
        files = 0;
        directories = 0;
        others = 0;
        BlobId rootId = build(root);
        data.flush();
        meta.flush();
        return new Outcome(rootId, files, directories, others, bytes, newBytes,
                newestSeconds == Long.MIN_VALUE ? 0 : newestSeconds, newestNanos, List.copyOf(problems));
    }

    /**
     * Makes the first name of each file with hard links (in path order, the order a walk, an extraction and a tar
     * written from the archive meet them) the one that holds the file, and the others links to it: a stream may
     * list them in any order, and a link before its file cannot be restored in one pass.
     */
    private void firstNameHoldsTheFile(Map<Node, List<Object[]>> linked, Map<Node, byte[]> filePaths) {
        for (Map.Entry<Node, List<Object[]>> g : linked.entrySet()) {
            Node file = g.getKey();
            if (file.file == null) {
                continue; // replaced by a later entry of the stream
            }
            Node first = file;
            byte[] firstPath = filePaths.get(file);
            for (Object[] l : g.getValue()) {
                byte[] p = (byte[]) l[1];
                if (Arrays.compareUnsigned(p, firstPath) < 0) {
                    first = (Node) l[0];
                    firstPath = p;
                }
            }
            if (first != file) {
                first.file = file.file;
                first.leaf = null;
                file.file = null;
                file.leaf = base(file.name, file.info, EntryType.HARDLINK).target(firstPath).build();
            }
            for (Object[] l : g.getValue()) {
                Node n = (Node) l[0];
                if (n != first) {
                    n.leaf = base(n.name, n.info, EntryType.HARDLINK).target(firstPath).build();
                }
            }
        }
    }

    /** The node at {@code parts} below {@code root}, or {@code null}. */
    private static Node find(Node root, List<byte[]> parts) {
        Node n = root;
        for (byte[] p : parts) {
            if (n.children == null) {
                return null;
            }
            n = n.children.get(p);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /**
     * A tar entry's path as checked components: empty and '.' components and a leading '/' dropped (the latter
     * reported), a '..' component refused; {@code null} when refused or empty.
     */
    private List<byte[]> tarPath(byte[] path, String shown) {
        return tarPath(path, shown, true);
    }

    /** As above; {@code report} false for a link's target, whose refusal the link reports. */
    private List<byte[]> tarPath(byte[] path, String shown, boolean report) {
        List<Problem> quiet = report ? problems : new ArrayList<>();
        return tarPathInto(path, shown, quiet);
    }

    private List<byte[]> tarPathInto(byte[] path, String shown, List<Problem> problems) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                byte[] c = Arrays.copyOfRange(path, start, i);
                start = i + 1;
                if (c.length == 0 || c.length == 1 && c[0] == '.') {
                    continue;
                }
                if (c.length == 2 && c[0] == '.' && c[1] == '.') {
                    problems.add(new Problem(shown, "refused: '..' in the path"));
                    return null;
                }
                String bad = Names.checkName(c);
                if (bad != null) {
                    problems.add(new Problem(shown, "refused: a path component " + bad));
                    return null;
                }
                parts.add(c);
            }
        }
        if (parts.size() > Limits.MAX_DEPTH) {
            problems.add(new Problem(shown, "refused: deeper than " + Limits.MAX_DEPTH + " levels"));
            return null;
        }
        if (path.length > 0 && path[0] == '/' && !parts.isEmpty()) {
            problems.add(new Problem(shown, "stored without its leading '/'"));
        }
        return parts.isEmpty() ? null : parts;
    }

    private static Scan.Info tarInfo(dev.mmh.archive.tar.TarReader.Header h) {
        dev.mmh.archive.format.Owner w = dev.mmh.archive.format.Owner.of(h.uid(), h.gid(), h.uname(), h.gname());
        List<dev.mmh.archive.format.Xattr> xs = new ArrayList<>();
        for (Map.Entry<String, byte[]> x : h.xattrs().entrySet()) {
            xs.add(new dev.mmh.archive.format.Xattr(x.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    x.getValue()));
        }
        return new Scan.Info(h.type(), h.mode(), h.mtimeSeconds(), h.mtimeNanos(), h.size(), 0, 0, 1, 0, w, xs,
                h.linkTarget());
    }

    /** Stores the trees below {@code n} (children first, in name order) and returns its tree's ID. */
    private BlobId build(Node n) throws IOException {
        DirectoryBuilder d = new DirectoryBuilder(this::putMeta);
        for (Node c : n.children.values()) {
            if (c.children != null) {
                BlobId t = build(c);
                d.add(base(c.name, c.info, EntryType.DIRECTORY).tree(t).build());
                directories++;
            } else if (c.leaf != null) {
                d.add(c.leaf);
                others++;
            } else {
                FileItem f = c.file;
                Entry.Builder b = base(c.name, c.info, EntryType.FILE);
                if (f.list.isInline()) {
                    b.content(f.size, f.list.inline(), f.sparse);
                } else {
                    b.content(f.size, f.list.finishBlob(), f.sparse);
                }
                d.add(b.build());
                files++;
            }
        }
        return d.finish();
    }

    /** Similarity order: kind (the extension), then the file's own name, then its path. */
    private static final Comparator<FileItem> SIMILAR = Comparator.<FileItem, byte[]>comparing(f -> extension(f.name),
            Arrays::compareUnsigned).thenComparing(f -> f.name, Arrays::compareUnsigned)
            .thenComparing(f -> f.rel, Arrays::compareUnsigned);

    static byte[] extension(byte[] name) {
        for (int i = name.length - 1; i > 0; i--) {
            if (name[i] == '.') {
                byte[] e = Arrays.copyOfRange(name, i + 1, name.length);
                for (int k = 0; k < e.length; k++) {
                    if (e[k] >= 'A' && e[k] <= 'Z') {
                        e[k] += 'a' - 'A';
                    }
                }
                return e;
            }
        }
        return new byte[0];
    }

    private void flushSegment() throws IOException {
        List<FileItem> order = new ArrayList<>();
        for (Item i : segment) {
            if (i instanceof FileItem f) {
                order.add(f);
            }
        }
        order.sort(SIMILAR);
        storeFiles(order);
        for (Item i : segment) {
            replay(i);
        }
        segment.clear();
        segmentFiles = 0;
        segmentBytes = 0;
    }

    private void replay(Item i) throws IOException {
        if (i instanceof Enter e) {
            dirs.push(new Open(new DirectoryBuilder(this::putMeta), e.name(), e.info()));
        } else if (i instanceof Leave) {
            Open d = dirs.pop();
            BlobId tree = d.builder().finish();
            dirs.peek().builder().add(base(d.name(), d.info(), EntryType.DIRECTORY).tree(tree).build());
        } else if (i instanceof Leaf l) {
            dirs.peek().builder().add(l.entry());
        } else {
            FileItem f = (FileItem) i;
            if (f.failed != null) {
                problems.add(new Problem(Names.display(f.rel), f.failed));
                files--;
                return;
            }
            Entry.Builder b = base(f.name, f.info, EntryType.FILE);
            if (f.unchanged != null) {
                Entry u = f.unchanged;
                if (u.chunks() != null) {
                    b.content(u.size(), u.chunks(), u.sparse());
                } else {
                    b.content(u.size(), u.chunkList(), u.sparse());
                }
            } else if (f.list.isInline()) {
                b.content(f.size, f.list.inline(), f.sparse);
            } else {
                b.content(f.size, f.list.finishBlob(), f.sparse);
            }
            dirs.peek().builder().add(b.build());
        }
    }

    /**
     * Reads the files in order, cuts them (on this thread), has the chunks hashed (on the workers) and stores each new
     * chunk, in order.
     */
    private void storeFiles(List<FileItem> order) throws IOException {
        try (Chunker chunker = Chunker.open(o.chunker())) {
            Batch batch = hashing.newBatch();
            for (FileItem f : order) {
                if (previous != null && (f.unchanged = unchanged(f)) != null) {
                    f.size = f.unchanged.size();
                    bytes += f.size;
                    reused += f.size;
                    progress.accept(f.size);
                    continue;
                }
                f.list = new ChunkListBuilder(this::putMeta);
                batch = readFile(f, chunker, batch);
            }
            hashing.submit(batch, this::stored);
            hashing.finish(this::stored);
        }
    }

    /** A failure to read an input file (as opposed to one of the output, which stops the pack). */
    private static final class Unreadable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreadable(IOException cause) {
            super(message(cause), cause);
        }
    }

    /** Reads one file into batches, each batch ending at a chunk end, and submits each full batch. */
    private Batch readFile(FileItem f, Chunker chunker, Batch batch) throws IOException {
        long read;
        try (FileChannel ch = open(f.path)) {
            long[] cuts;
            long[] regions = null;
            try {
                cuts = f.info.size() > o.chunker().min() && isTensorName(f.name) ? TensorBoundaries.of(f.path)
                        : new long[0];
                if (f.info.size() > 0 && dev.mmh.io.NativeFiles.available()) {
                    byte[] raw = dev.mmh.archive.fs.RawNames.bytes(f.path);
                    if (dev.mmh.io.NativeFiles.allocatedBytes(raw) < f.info.size()) {
                        regions = dev.mmh.io.NativeFiles.dataRegions(raw); // a sparse file: its holes stay holes
                    }
                }
            } catch (IOException e) {
                throw new Unreadable(e);
            }
            batch.startFile(f);
            read = 0;
            if (regions == null) {
                batch = readContent(f, ch, chunker, cuts, batch, Long.MAX_VALUE);
                read = f.size;
            } else {
                long at = 0;
                for (int i = 0; i < regions.length; i += 2) {
                    if (regions[i] > at) {
                        batch.hole(regions[i] - at);
                        f.sparse = true;
                    }
                    ch.position(regions[i]);
                    batch = readContent(f, ch, chunker, new long[0], batch, regions[i + 1]);
                    read += f.size;
                    at = regions[i] + regions[i + 1];
                }
                long size = Math.max(at, ch.size());
                if (size > at) {
                    batch.hole(size - at);
                    f.sparse = true;
                }
                read = size;
            }
            batch.endFile();
        } catch (Unreadable e) {
            f.failed = "not stored: " + e.getMessage();
            batch.abandonFile();
            return batch;
        }
        if (read != f.info.size()) {
            problems.add(new Problem(Names.display(f.rel), "changed while it was read (" + f.info.size() + " bytes when "
                    + "listed, " + read + " read): stored as read"));
        }
        f.size = read;
        bytes += read;
        return batch;
    }

    /**
     * Reads at most {@code limit} bytes of {@code src} (to its end) as one run of chunks of {@code f}: the chunker
     * starts afresh (as at the start of a file, or of a data region of a sparse one). Leaves the bytes read in
     * {@code f.size}.
     */
    private Batch readContent(FileItem f, java.nio.channels.ReadableByteChannel src, Chunker chunker, long[] cuts,
            Batch batch, long limit) throws IOException {
        chunker.reset();
        for (long c : cuts) {
            chunker.cutAt(c);
        }
        long read = 0;
        while (read < limit) {
            if (batch.room() < o.chunker().max()) {
                Batch next = hashing.newBatch();
                batch.moveTail(next); // the open chunk's bytes go on in the next batch
                hashing.submit(batch, this::stored);
                batch = next;
            }
            int n;
            try {
                n = src.read(ByteBuffer.wrap(batch.buf, batch.filled, (int) Math.min(batch.room(), limit - read)));
            } catch (IOException e) {
                throw new Unreadable(e);
            }
            if (n < 0) {
                break;
            }
            int at = batch.filled;
            batch.filled += n;
            read += n;
            Batch b = batch;
            chunker.update(b.buf, at, n, (start, end, id) -> b.chunk(end - start));
            progress.accept(n);
        }
        Batch b = batch;
        chunker.finish((start, end, id) -> b.chunk(end - start));
        f.size = read;
        return batch;
    }

    private static FileChannel open(Path p) throws Unreadable {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new Unreadable(e);
        }
    }

    /** The previous version's entry for {@code f} when it says the file is unchanged, else {@code null}. */
    private Entry unchanged(FileItem f) {
        try {
            Entry e = previous.lookup(f.rel);
            return e != null && e.type() == EntryType.FILE && e.size() == f.info.size()
                    && e.mtimeSeconds() == f.info.mtimeSeconds() && e.mtimeNanos() == f.info.mtimeNanos() ? e : null;
        } catch (IOException | RuntimeException damaged) {
            return null; // the previous version's trees cannot say: read the file
        }
    }

    private static boolean isTensorName(byte[] name) {
        byte[] e = extension(name);
        return Arrays.equals(e, "safetensors".getBytes()) || Arrays.equals(e, "gguf".getBytes());
    }

    /** Takes a hashed batch back, in order: each chunk is found in the index or stored. */
    private void stored(Batch b) throws IOException {
        int at = 0;
        for (int i = 0; i < b.count; i++) {
            FileItem f = b.files[i];
            int len = b.lengths[i];
            if (b.holes[i]) {
                if (f != null) {
                    f.list.add(new ChunkRef(BlobId.HOLE, len));
                }
                continue; // no bytes in the batch
            }
            if (f != null) {
                BlobId id = BlobId.of(b.ids, i * BlobId.LENGTH);
                if (!index.contains(id)) {
                    data.add(id, BlobTable.DATA, b.buf, at, len);
                    newBytes += len;
                }
                f.list.add(new ChunkRef(id, len));
            }
            at += len;
        }
        hashing.recycle(b);
    }

    /** Stores a metadata blob (tree or chunk list) unless the index has it. */
    private BlobId putMeta(byte[] blob, int type) throws IOException {
        BlobId id = metaIds.of(blob);
        if (!index.contains(id)) {
            meta.add(id, type, blob, 0, blob.length);
            newBytes += blob.length;
        }
        return id;
    }

    /** Fills one block with blobs of one kind, and hands it to the sink when the next blob would not fit. */
    private final class BlockBuilder {
        private final boolean isMeta;
        private byte[] buf;
        private int filled;
        private final List<Integer> pending = new ArrayList<>(); // index handles of the blobs in buf

        BlockBuilder(boolean isMeta) {
            this.isMeta = isMeta;
        }

        void add(BlobId id, int type, byte[] src, int off, int len) throws IOException {
            if (len > sink.blockSize()) {
                throw new IOException("a blob of " + len + " bytes does not fit a block of " + sink.blockSize());
            }
            if (buf != null && filled + len > sink.blockSize()) {
                flush();
            }
            if (buf == null) {
                buf = sink.buffer();
                filled = 0;
            }
            System.arraycopy(src, off, buf, filled, len);
            pending.add(index.put(id, type, BlobIndex.PENDING, filled, len, true));
            filled += len;
        }

        void flush() throws IOException {
            if (buf == null || filled == 0) {
                return;
            }
            long number = sink.write(buf, filled, isMeta);
            for (int h : pending) {
                index.settle(h, number);
            }
            pending.clear();
            buf = null;
            filled = 0;
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** The metadata IDs' context. */
    public void close() {
        metaIds.close();
    }

    // ---- batches ----

    /**
     * Bytes read from files and the chunks cut in them, in order: what one hashing task takes. A chunk whose file
     * failed to read is kept (so offsets stay right) with no file.
     */
    public static final class Batch {
        final byte[] buf;
        int filled;
        int count;
        FileItem[] files = new FileItem[64];
        int[] lengths = new int[64];
        /** Whether entry i is a hole of a sparse file: no bytes in the buffer, nothing to hash. */
        boolean[] holes = new boolean[64];
        byte[] ids = new byte[64 * BlobId.LENGTH];
        /** Start of the current file's first byte not yet in a chunk. */
        private int openStart;
        private FileItem current;
        private int fileFirstChunk;

        Batch(int size) {
            this.buf = new byte[size];
        }

        int room() {
            return buf.length - filled;
        }

        void startFile(FileItem f) {
            current = f;
            openStart = filled;
            fileFirstChunk = count;
        }

        private void room1() {
            if (count == lengths.length) {
                files = Arrays.copyOf(files, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
                holes = Arrays.copyOf(holes, count * 2);
                ids = Arrays.copyOf(ids, count * 2 * BlobId.LENGTH);
            }
        }

        void chunk(long length) {
            room1();
            files[count] = current;
            lengths[count] = (int) length;
            holes[count] = false;
            count++;
            openStart += (int) length;
        }

        /** A hole of {@code length} bytes in the current file (in pieces of at most 1 GiB: lengths are ints). */
        void hole(long length) {
            for (long left = length; left > 0; ) {
                int n = (int) Math.min(left, 1 << 30);
                room1();
                files[count] = current;
                lengths[count] = n;
                holes[count] = true;
                count++;
                left -= n;
            }
        }

        /** Moves the bytes of the chunk still open into {@code next} (the chunker goes on from where it is). */
        void moveTail(Batch next) {
            int tail = filled - openStart;
            System.arraycopy(buf, openStart, next.buf, 0, tail);
            next.filled = tail;
            next.current = current;
            next.openStart = 0;
            next.fileFirstChunk = 0;
            filled = openStart;
        }

        void endFile() {
            current = null;
        }

        /** Drops the chunks of a file that failed to read: its bytes stay, with no file, so that nothing stores them. */
        void abandonFile() {
            for (int i = fileFirstChunk; i < count; i++) {
                files[i] = null;
            }
            if (filled > openStart) {
                // the open chunk's bytes were read but not cut: count them as one ownerless chunk
                room1();
                files[count] = null;
                lengths[count] = filled - openStart;
                holes[count] = false;
                count++;
                openStart = filled;
            }
            current = null;
        }

        void reset() {
            filled = 0;
            count = 0;
            openStart = 0;
            current = null;
            fileFirstChunk = 0;
        }
    }
}
