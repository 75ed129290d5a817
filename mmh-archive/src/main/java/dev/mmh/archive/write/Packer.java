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
        String failed;

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
            if (f.list.isInline()) {
                b.content(f.size, f.list.inline(), false);
            } else {
                b.content(f.size, f.list.finishBlob(), false);
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
        chunker.reset();
        long read = 0;
        batch.startFile(f);
        try (FileChannel ch = open(f.path)) {
            long[] cuts;
            try {
                cuts = f.info.size() > o.chunker().min() && isTensorName(f.name) ? TensorBoundaries.of(f.path)
                        : new long[0];
            } catch (IOException e) {
                throw new Unreadable(e);
            }
            for (long c : cuts) {
                chunker.cutAt(c);
            }
            while (true) {
                if (batch.room() < o.chunker().max()) {
                    Batch next = hashing.newBatch();
                    batch.moveTail(next); // the open chunk's bytes go on in the next batch
                    hashing.submit(batch, this::stored);
                    batch = next;
                }
                int n;
                try {
                    n = ch.read(ByteBuffer.wrap(batch.buf, batch.filled, batch.room()));
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

    private static FileChannel open(Path p) throws Unreadable {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new Unreadable(e);
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
                ids = Arrays.copyOf(ids, count * 2 * BlobId.LENGTH);
            }
        }

        void chunk(long length) {
            room1();
            files[count] = current;
            lengths[count] = (int) length;
            count++;
            openStart += (int) length;
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
