package dev.mmh.archive;

import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.ChunkRef;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.format.Sealed;
import dev.mmh.archive.read.ArchiveData;
import dev.mmh.archive.read.Extractor;
import dev.mmh.archive.read.FolderView;
import dev.mmh.archive.read.TreeDiff;
import dev.mmh.archive.write.BlobIndex;
import dev.mmh.archive.write.FolderWriter;
import dev.mmh.archive.write.Hashing;
import dev.mmh.archive.write.Packer;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.chunk.IdFunction;
import dev.mmh.crypto.ArchiveCipher;
import dev.mmh.crypto.age.Identity;
import dev.mmh.AuthenticationFailedException;
import dev.mmh.engine.ArchiveProtection;
import dev.mmh.engine.BlockCodec;
import dev.mmh.engine.CompressOptions;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.format.SeekableArchive;
import dev.mmh.io.AtomicOutput;
import dev.mmh.io.BoundedChannel;
import dev.mmh.io.CriticalSection;
import dev.mmh.io.Positional;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryEncoder;
import dev.mmh.recovery.RecoveryParams;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import dev.mmh.work.WorkerState;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
     * @param identities on append to an encrypted archive, the keys that open it (tried in order); a new archive is
     *     encrypted by the recipients of {@code compress}, and an append keeps the archive's own keys
     */
    public record WriteOptions(CompressOptions compress, ChunkerParams chunker, boolean owner, boolean xattrs,
            boolean special, double recovery, boolean rehash, List<Identity> identities) {
        public WriteOptions {
            identities = List.copyOf(identities);
        }

        /** Options without identities (an append to an encrypted archive then fails). */
        public WriteOptions(CompressOptions compress, ChunkerParams chunker, boolean owner, boolean xattrs,
                boolean special, double recovery, boolean rehash) {
            this(compress, chunker, owner, xattrs, special, recovery, rehash, List.of());
        }

        /** The defaults: the engine's defaults, {@link ChunkerParams#DEFAULT}, no owners, attributes, specials. */
        public static WriteOptions defaults() {
            return new WriteOptions(CompressOptions.builder().build(), ChunkerParams.DEFAULT, false, false, false, 0,
                    false);
        }

        /** These options with other engine options. */
        public WriteOptions withCompress(CompressOptions c) {
            return new WriteOptions(c, chunker, owner, xattrs, special, recovery, rehash, identities);
        }

        /** These options with the keys that open an encrypted archive to append to. */
        public WriteOptions withIdentities(List<? extends Identity> ids) {
            return new WriteOptions(compress, chunker, owner, xattrs, special, recovery, rehash, List.copyOf(ids));
        }
    }

    /**
     * How to read: threads or a shared pool, progress (raw bytes restored), and the keys of an encrypted archive
     * (tried in order; an encrypted archive that none opens fails with {@link AuthenticationFailedException}).
     */
    public record ReadOptions(int threads, WorkerPool pool, LongConsumer progress, List<Identity> identities) {
        public ReadOptions {
            identities = List.copyOf(identities);
        }

        /** Options without keys. */
        public ReadOptions(int threads, WorkerPool pool, LongConsumer progress) {
            this(threads, pool, progress, List.of());
        }

        public static ReadOptions threads(int n) {
            return new ReadOptions(n, null, null);
        }

        /** These options with the keys of an encrypted archive. */
        public ReadOptions withIdentities(List<? extends Identity> ids) {
            return new ReadOptions(threads, pool, progress, List.copyOf(ids));
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

    /** Bytes of file data a hashing batch holds. */
    private static final int BATCH = 4 << 20;
    /** Decoded blocks kept for random access. */
    private static final int CACHED_BLOCKS = 8;

    private final SeekableArchive a;
    /** An encrypted archive's keys, else {@code null}. */
    private final ArchiveCipher cipher;
    private final Manifest manifest;
    private final List<BlobTable> tables;
    private final WorkerPool.Use pool;
    private final ReadOptions ro;
    private final Ids ids;
    private final Data data = new Data();
    private final Path spool;
    private final Map<Integer, FolderView> views = new LinkedHashMap<>();

    private FolderArchive(SeekableArchive a, ArchiveCipher cipher, Manifest manifest, List<BlobTable> tables,
            ReadOptions ro, Path spool) {
        this.a = a;
        this.cipher = cipher;
        this.manifest = manifest;
        this.tables = tables;
        this.ro = ro;
        this.pool = WorkerPool.use(ro.pool(), Math.max(1, ro.threads()));
        this.ids = new Ids(idFunction(cipher));
        this.spool = spool;
    }

    /** How blob IDs are made: SHA-256, or HMAC-SHA-256 under the blob ID key of an encrypted archive. */
    private static IdFunction idFunction(ArchiveCipher cipher) {
        if (cipher == null) {
            return IdFunction.SHA256;
        }
        byte[] key = cipher.blobIdKey();
        try {
            return IdFunction.hmacSha256(key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    // ---- writing ----

    /**
     * Packs {@code sources} into a new archive file at {@code target} (written to a temporary file and renamed when
     * complete; an existing file is replaced only with {@code force}).
     *
     * @throws IllegalArgumentException if two sources have the same name
     */
    public static WriteSummary create(List<Source> sources, Path target, boolean force, WriteOptions o)
            throws IOException {
        try (AtomicOutput out = AtomicOutput.create(target, force)) {
            WriteSummary s = write(new Input(sources, null), out.stream(), out, o);
            out.commit();
            return s;
        }
    }

    /** Packs {@code sources} into a new archive streamed to {@code out} (a pipe: no recovery data, no seeking). */
    public static WriteSummary create(List<Source> sources, OutputStream out, WriteOptions o) throws IOException {
        return write(new Input(sources, null), out, null, o);
    }

    /**
     * Packs the tar stream {@code tar} (pax, GNU long names, GNU sparse 1.0) into a new archive. Entries with an
     * absolute path lose the leading '/'; entries with a '..' component, or below a link, are refused and reported.
     *
     * @param target the archive file, or {@code null} to stream to {@code out}
     */
    public static WriteSummary createFromTar(InputStream tar, Path target, OutputStream out, boolean force,
            WriteOptions o) throws IOException {
        if (target == null) {
            return write(new Input(null, tar), out, null, o);
        }
        try (AtomicOutput atomic = AtomicOutput.create(target, force)) {
            WriteSummary s = write(new Input(null, tar), atomic.stream(), atomic, o);
            atomic.commit();
            return s;
        }
    }

    /** What a version is packed from: paths, or a tar stream. */
    private record Input(List<Source> sources, InputStream tar) {
    }

    private static WriteSummary write(Input input, OutputStream sink, AtomicOutput atomic, WriteOptions o)
            throws IOException {
        if (o.recovery() > 0 && atomic == null) {
            throw new IllegalArgumentException("recovery data needs a file to write it to, not a stream");
        }
        OutputStream out = new BufferedOutputStream(sink, 1 << 16);
        FileHeader fh = BlockCodec.header(o.compress()).asFolder(0);
        out.write(fh.encode());
        long at = fh.length();
        CompressOptions co = o.compress();
        ArchiveCipher cipher = null;
        if (co.encrypted()) {
            // the keys are bound to the header's first 32 bytes (all but the committed length, which appends change)
            cipher = ArchiveCipher.create(co.recipients(), fh.encode());
            byte[] e = SectionEnvelope.wrap(Format.SECTION_ENCRYPTION, Format.SECTION_MUST_UNDERSTAND,
                    cipher.encryptionBody());
            out.write(e);
            at += e.length;
        }
        WriteSummary s;
        try (WorkerPool.Use use = co.workers()) {
            BlobIndex index = new BlobIndex();
            Version v = pack(input, o, index, new FolderWriter(out, at, List.of(), co, use.pool(), n -> { }, cipher),
                    use.pool(), null, List.of(), List.of(), o.chunker(), 1, cipher);
            out.flush();
            s = v.summary(v.tail.fileLength());
        }
        if (o.recovery() > 0) {
            FileChannel ch = atomic.channel();
            ArchiveProtection.addRecovery(ch, o.recovery(), co.threads());
            s = new WriteSummary(s.version(), s.files(), s.directories(), s.others(), s.bytes(), s.newBytes(),
                    ch.size(), s.problems());
        }
        return s;
    }

    /** A version packed and its tail written. */
    private record Version(Packer.Outcome outcome, ArchiveTail tail, int number, long reused) {
        WriteSummary summary(long archiveBytes) {
            List<Problem> p = outcome.problems().stream().map(x -> new Problem(x.path(), x.reason())).toList();
            return new WriteSummary(number, outcome.files(), outcome.directories(), outcome.others(), outcome.bytes(),
                    outcome.newBytes(), archiveBytes, p);
        }
    }

    /**
     * Packs one version through {@code w}, then writes its blob table, the manifest (the earlier versions' and
     * tables' entries, plus this one) and the tail.
     */
    private static Version pack(Input input, WriteOptions o, BlobIndex index, FolderWriter w, WorkerPool pool,
            FolderView previous, List<Manifest.Version> earlier, List<Manifest.TableRef> earlierTables,
            ChunkerParams chunker, int number, ArchiveCipher cipher) throws IOException {
        if (chunker.max() > o.compress().blockSize()) {
            throw new IllegalArgumentException("chunks of up to " + chunker.max() + " bytes need blocks at least as "
                    + "large (the block size is " + o.compress().blockSize() + ")");
        }
        LongConsumer progress = o.compress().progress() != null ? o.compress().progress() : n -> { };
        IdFunction idf = idFunction(cipher);
        Packer.Options po = new Packer.Options(chunker, idf, o.owner(), o.xattrs(), o.special(), 65_536, 4L << 30);
        Packer.Outcome oc;
        long reused;
        try (w; Hashing h = new Hashing(idf, pool, BATCH)) {
            Packer p = new Packer(po, index, w, h, progress);
            try {
                if (previous != null && !o.rehash()) {
                    p.reuseFrom(previous);
                }
                if (input.tar() != null) {
                    oc = p.packTar(input.tar());
                } else {
                    List<Packer.Source> ps = new ArrayList<>();
                    for (Source s : input.sources()) {
                        ps.add(new Packer.Source(s.path(), s.name()));
                    }
                    oc = p.pack(ps);
                }
                reused = p.reusedBytes();
            } finally {
                p.close();
            }
            w.flushBlocks();
            List<BlobTable.Location> added = index.added();
            List<Manifest.TableRef> tables = new ArrayList<>(earlierTables);
            if (!added.isEmpty()) {
                byte[] table = BlobTable.encode(added);
                if (cipher != null) {
                    table = Sealed.sealTable(cipher, w.offset(), table);
                }
                tables.add(new Manifest.TableRef(w.section(table), table.length));
            }
            List<Manifest.Version> versions = new ArrayList<>(earlier);
            byte[] label = label(input);
            versions.add(new Manifest.Version(number, oc.root(), oc.newestSeconds(), oc.newestNanos(), oc.files(),
                    oc.directories(), oc.others(), oc.bytes(), oc.newBytes(), label));
            Manifest m = new Manifest(chunker, cipher != null ? Manifest.HMAC_SHA256 : Manifest.SHA256, tables,
                    versions);
            byte[] body = m.encode();
            ArchiveTail tail;
            if (cipher != null) {
                long at = w.offset();
                tail = w.finish(at, w.sealedManifest(cipher, body));
            } else {
                long at = w.manifest(body);
                tail = w.finish(at, body.length + Format.SECTION_ENVELOPE + 4L);
            }
            return new Version(oc, tail, number, reused);
        }
    }

    private static byte[] label(Input input) {
        if (input.tar() != null) {
            return "(tar stream)".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Source s : input.sources()) {
            if (b.size() > 0) {
                b.write(' ');
            }
            b.writeBytes(s.name());
        }
        byte[] l = b.toByteArray();
        return l.length > Manifest.MAX_LABEL ? java.util.Arrays.copyOf(l, Manifest.MAX_LABEL) : l;
    }

    /**
     * Adds a version of {@code sources} to the archive file {@code archive}, storing only the blobs it lacks and
     * skipping files whose size and modification time match the previous version (unless {@link
     * WriteOptions#rehash}). The archive is extended in place and committed by one header write at the end: an
     * append interrupted at any point (kill -9, full disk) leaves it as it was, readable and verifiable. Recovery
     * data, if the archive has it, is brought up to date.
     */
    public static WriteSummary append(Path archive, List<Source> sources, WriteOptions o) throws IOException {
        return append(archive, new Input(sources, null), o);
    }

    /** As {@link #append}, from a tar stream. */
    public static WriteSummary appendFromTar(Path archive, InputStream tar, WriteOptions o) throws IOException {
        return append(archive, new Input(null, tar), o);
    }

    private static WriteSummary append(Path archive, Input input, WriteOptions o) throws IOException {
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileHeader fh = header(ch, archive);
            long end = fh.committedLength() != 0 ? fh.committedLength() : ch.size();
            if (ch.size() < end) {
                throw new CorruptDataException(archive + ": archive ends at " + ch.size() + " bytes, its header says "
                        + end + " (truncated)", ch.size(), -1);
            }
            if (o.compress().encrypted()) {
                throw new IllegalArgumentException("an append keeps the archive's keys: give no recipients (an "
                        + "encrypted archive is opened with its identities)");
            }
            // opened (and, if encrypted, its keys unwrapped) before anything is written: a wrong key changes nothing
            FolderArchive old = openOn(SeekableArchive.of(new BoundedChannel(ch, end)),
                    ReadOptions.threads(o.compress().threads()).withIdentities(o.identities()), null, false);
            WriteSummary s;
            try {
                if (ch.size() > end) {
                    ch.truncate(end); // what an interrupted append left: never part of the archive
                }
                if (fh.committedLength() == 0) {
                    // "the end of the file" would take in whatever this append has written when it is cut off:
                    // record where the archive ends first (its meaning, and what recovery data covers, stay the same)
                    commit(ch, fh.asFolder(end));
                }
                s = appendTo(ch, old, fh, end, input, o);
            } finally {
                old.close();
            }
            return s;
        }
    }

    private static WriteSummary appendTo(FileChannel ch, FolderArchive old, FileHeader fh, long end, Input input,
            WriteOptions o) throws IOException {
        double fraction = recoveryFraction(old);
        CompressOptions co = o.compress().toBuilder().blockSize(fh.blockSize()).hash(fh.hash()).build();
        try (WorkerPool.Use use = co.workers()) {
            BlobIndex index = new BlobIndex();
            for (BlobTable t : old.tables) {
                t.forEach(l -> index.put(l.id(), l.type(), l.block(), l.offset(), l.length(), false));
            }
            ch.position(end);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            int number = old.latest() + 1;
            Version v = pack(input, o.withCompress(co), index,
                    new FolderWriter(out, end, old.a.index().entries(), co, use.pool(), n -> { }, old.cipher),
                    use.pool(), old.view(old.latest()), old.manifest.versions(), old.manifest.tables(),
                    old.manifest.chunker(), number, old.cipher);
            out.flush();
            long length = v.tail().fileLength();
            if (fraction > 0) {
                length = protect(ch, v.tail(), fh, fraction, co.threads());
            }
            ch.force(false);
            commit(ch, fh.asFolder(length));
            return v.summary(length);
        }
    }

    /** The archive's recovery share (parity per data), or 0 if it has no recovery data. */
    private static double recoveryFraction(FolderArchive old) throws IOException {
        if (old.a.footer().recoveryOffset() == 0) {
            return 0;
        }
        RecoveryData rd = RecoveryData.read(old.a.channel(), old.a.footer().recoveryOffset() + Format.SECTION_ENVELOPE);
        RecoveryParams p = rd.params();
        return Math.min(RecoveryParams.MAX_FRACTION, Math.max(RecoveryParams.MIN_FRACTION,
                (double) p.parityRows() / p.dataRows()));
    }

    /**
     * Replaces the tail just written after the new blocks by one with a recovery section over everything before it
     * (the header read with its committed length as 0, as a folder archive's recovery data covers it); returns the
     * archive's new length.
     */
    private static long protect(FileChannel ch, ArchiveTail tail, FileHeader fh, double fraction, int threads)
            throws IOException {
        long n = tail.blocksEnd();
        RecoveryParams p = RecoveryParams.plan(n, fraction);
        ArchiveTail t = tail.withoutSections().withSection(ArchiveTail.Kind.RECOVERY, p.sectionLength());
        FileChannel view = new BoundedChannel(ch, Long.MAX_VALUE, fh.asFolder(0).encode());
        ch.truncate(n);
        RecoveryEncoder.encode(view, p, false, threads, ch, t.section(ArchiveTail.Kind.RECOVERY).orElseThrow()
                .bodyOffset());
        t.writeAround(ch);
        return t.fileLength();
    }

    /** Writes the header with the new committed length, after flushing what it commits: the append's one commit. */
    private static void commit(FileChannel ch, FileHeader committed) throws IOException {
        try (CriticalSection ignored = CriticalSection.enter()) {
            ch.force(false);
            Positional.write(ch, ByteBuffer.wrap(committed.encode()), 0);
            ch.force(false);
        }
    }

    private static FileHeader header(FileChannel ch, Path p) throws IOException {
        byte[] h = new byte[Format.MAX_HEADER_SIZE];
        FileHeader fh = FileHeader.parse(h, Positional.read(ch, h, 0, h.length));
        if (!fh.folder()) {
            throw new UnsupportedFormatException(p + " is an archive of one file, not of folders: versions are "
                    + "appended to folder archives only");
        }
        return fh;
    }

    // ---- reading ----

    /** Whether the file at {@code p} starts with a folder archive's header (format version 3). */
    public static boolean isFolderArchive(Path p) throws IOException {
        byte[] h = new byte[10];
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(h, 0, h.length) == h.length && SeekableArchive.looksLikeMmh(h, h.length)
                    && dev.mmh.format.LE.get16(h, 8) == Format.FOLDER_VERSION;
        }
    }

    /**
     * Opens a folder archive file for reading: header, footer, index, manifest and blob tables are read and checked;
     * no block is decoded yet.
     */
    public static FolderArchive open(Path archive, ReadOptions o) throws IOException {
        return openOn(SeekableArchive.open(archive), o, null, true);
    }

    /**
     * Opens a folder archive read from a stream (a pipe): it is spooled into a temporary file in {@code spoolDir}
     * (deleted by {@link #close()}), then read as a file. Memory stays bounded; disk use is the archive's size.
     */
    public static FolderArchive open(InputStream in, Path spoolDir, ReadOptions o) throws IOException {
        Path tmp = Files.createTempFile(spoolDir, ".mmh-spool-", ".tmp");
        dev.mmh.io.AtomicOutput.deleteOnShutdown(tmp);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            return openOn(SeekableArchive.open(tmp), o, tmp, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            dev.mmh.io.AtomicOutput.keepOnShutdown(tmp);
            throw e;
        }
    }

    private static FolderArchive openOn(SeekableArchive a, ReadOptions o, Path spool, boolean closeOnFailure)
            throws IOException {
        try {
            if (!a.header().folder()) {
                throw new UnsupportedFormatException("an archive of one file, not of folders (decompress it)");
            }
            long mo = a.footer().manifestOffset();
            long ml = a.footer().manifestLength();
            ArchiveCipher cipher = null;
            byte[] body;
            if (a.header().encrypted()) {
                cipher = ArchiveCipher.open(a.encryptionBody(), a.header().encode(), o.identities(),
                        a.header().length());
                byte[] plain = Sealed.open(cipher, a.channel(), mo, ml, Format.SECTION_MANIFEST, "manifest");
                body = Sealed.manifestBody(plain, a.index().entries().size(), a.index().totalRawSize(),
                        a.index().contentId(), mo);
            } else {
                body = SectionEnvelope.readBody(a.channel(), mo, ml, Format.SECTION_MANIFEST);
            }
            Manifest m = Manifest.decode(body, "manifest at offset " + mo);
            if (m.idFunction() != (cipher != null ? Manifest.HMAC_SHA256 : Manifest.SHA256)) {
                throw new CorruptDataException("manifest at offset " + mo + ": ID function " + m.idFunction() + " in "
                        + (cipher != null ? "an encrypted" : "a plain") + " archive", mo, -1);
            }
            List<BlobTable> tables = new ArrayList<>();
            for (Manifest.TableRef t : m.tables()) {
                tables.add(cipher != null ? Sealed.table(cipher, a.channel(), t.offset(), t.length())
                        : BlobTable.open(a.channel(), t.offset(), t.length()));
            }
            return new FolderArchive(a, cipher, m, tables, o, spool);
        } catch (IOException | RuntimeException e) {
            if (closeOnFailure) {
                a.close();
            }
            throw e;
        }
    }

    /** The versions, oldest first (numbered from 1). */
    public List<Manifest.Version> versions() {
        return manifest.versions();
    }

    /** The latest version's number. */
    public int latest() {
        return manifest.versions().size();
    }

    /**
     * A view of version {@code n} (1-based): lookups, listing, walking.
     *
     * @throws NoSuchElementException if there is no such version
     */
    public FolderView view(int n) {
        if (n < 1 || n > manifest.versions().size()) {
            throw new NoSuchElementException("no version " + n + " (the archive has " + manifest.versions().size()
                    + ")");
        }
        return views.computeIfAbsent(n, k -> {
            Manifest.Version v = manifest.versions().get(k - 1);
            return new FolderView(data, ids, v.root(), v.files() + v.directories() + v.others());
        });
    }

    /** The entry at {@code path} ('/'-separated from the version's top) in version {@code n}, or {@code null}. */
    public Entry lookup(int n, byte[] path) throws IOException {
        return view(n).lookup(path);
    }

    /**
     * The content of the file at {@code path} in version {@code n}, decoding only the blocks that hold it (a hard
     * link gives its file's content).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such entry
     * @throws IOException if the entry is not a file
     */
    public InputStream read(int n, byte[] path) throws IOException {
        FolderView v = view(n);
        Entry e = v.lookup(path);
        for (int hops = 0; e != null && e.type() == EntryType.HARDLINK && hops < 8; hops++) {
            e = v.lookup(e.target());
        }
        if (e == null) {
            throw new java.nio.file.NoSuchFileException(Names.display(path), null, "not in version " + n);
        }
        if (e.type() != EntryType.FILE) {
            throw new IOException(Names.display(path) + ": a " + e.type().name().toLowerCase().replace('_', ' ')
                    + ", not a file");
        }
        return new Content(v.chunks(e));
    }

    /**
     * Bytes {@code [from, end)} of a block, at {@code bytes[i - base]}: a whole block (decoded and checked against
     * its hash) or a part ({@link BlockPrefix}), whose chunks are checked against their IDs.
     */
    private record Span(byte[] bytes, int base, int from, int end, boolean whole) {
    }

    /** Chunks of a file looked at ahead of the one read, to find how much of its block the file needs. */
    private static final int LOOK_AHEAD = 1024;

    /** A file's bytes, chunk after chunk. */
    private final class Content extends InputStream {
        private final List<ChunkRef> chunks;
        private int next;
        private byte[] cur = new byte[0];
        private int at;
        private long holeLeft;

        Content(List<ChunkRef> chunks) {
            this.chunks = chunks;
        }

        private boolean fill() throws IOException {
            while (at == cur.length && holeLeft == 0) {
                if (next == chunks.size()) {
                    return false;
                }
                ChunkRef c = chunks.get(next++);
                if (c.isHole()) {
                    holeLeft = c.length();
                } else {
                    cur = chunk(c);
                    at = 0;
                }
            }
            return true;
        }

        /**
         * The bytes of chunk {@code c} (the one before {@link #next}): from a block decoded before, else from the part
         * of its block that holds it and this file's next chunks in that block ({@link BlockPrefix}: decoded only up
         * to there), checked against the chunk's ID, else (a codec that cannot stop early, a part that does not check)
         * from the whole block, checked against its hash.
         */
        private byte[] chunk(ChunkRef c) throws IOException {
            BlobTable.Location l = located(c);
            int end = l.offset() + l.length();
            int from = l.offset();
            Span s = data.covering(l.block(), from, end);
            if (s == null) {
                for (int k = next; k < chunks.size() && k < next + LOOK_AHEAD; k++) {
                    ChunkRef d = chunks.get(k);
                    if (!d.isHole()) {
                        BlobTable.Location m = located(d);
                        if (m.block() != l.block()) {
                            break;
                        }
                        from = Math.min(from, m.offset());
                        end = Math.max(end, m.offset() + m.length());
                    }
                }
                s = data.part(l.block(), from, end);
            }
            if (s != null && !s.whole()) {
                byte[] bytes = slice(s, l, c);
                BlobId actual;
                synchronized (ids) {
                    actual = ids.of(bytes);
                }
                if (actual.equals(c.id())) {
                    return bytes;
                }
                // damaged, or a part that does not hold what the blob table says: the whole block's decode checks
                // it against its hash and reports (or the chunk is wrong in a block that checks)
                data.dropPart(l.block());
                s = null;
            }
            if (s == null) {
                ArchiveData.Block b = data.block(l.block());
                s = new Span(b.bytes(), 0, 0, b.length(), true);
            }
            return slice(s, l, c); // a whole block was checked against its hash
        }

        private byte[] slice(Span s, BlobTable.Location l, ChunkRef c) throws CorruptDataException {
            if (l.offset() < s.from() || (long) l.offset() + l.length() > s.end()) {
                throw new CorruptDataException("chunk " + c.id().shortHex() + " at " + l.offset() + "+" + l.length()
                        + " lies outside its block of " + s.end() + " bytes", -1, l.block());
            }
            int at = l.offset() - s.base();
            return java.util.Arrays.copyOfRange(s.bytes(), at, at + l.length());
        }

        private BlobTable.Location located(ChunkRef c) throws IOException {
            BlobTable.Location l = data.locate(c.id());
            if (l == null || l.type() != BlobTable.DATA) {
                throw new CorruptDataException("chunk " + c.id().shortHex() + (l == null ? " is not in the archive"
                        : " is not a data blob"), -1, -1);
            }
            if (l.length() != c.length()) {
                throw new CorruptDataException("chunk " + c.id().shortHex() + " has " + l.length()
                        + " bytes, the file lists " + c.length(), -1, l.block());
            }
            return l;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            if (holeLeft > 0) {
                int n = (int) Math.min(len, holeLeft);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                holeLeft -= n;
                return n;
            }
            int n = Math.min(len, cur.length - at);
            System.arraycopy(cur, at, b, off, n);
            at += n;
            return n;
        }
    }

    /** Restores version {@code n} (or only {@code paths} in it) into {@code dest}; see {@link Extractor}. */
    public Extractor.Result extract(int n, List<byte[]> paths, Path dest, Extractor.Options o) throws IOException {
        LongConsumer p = ro.progress() != null ? ro.progress() : x -> { };
        return new Extractor(view(n), data, dest, o, p, pool.pool()).extract(paths);
    }

    /** Writes version {@code n} (or only {@code paths}) as a pax tar stream that GNU tar reads. */
    public void toTar(int n, List<byte[]> paths, OutputStream out) throws IOException {
        new dev.mmh.archive.tar.TarExport(view(n), (v, path) -> read(v, path), n).write(paths, out);
    }

    /** What changed from version {@code a} to version {@code b}, in path order. */
    public void diff(int from, int to, TreeDiff.Listener out) throws IOException {
        TreeDiff.diff(view(from), view(to), out);
    }

    /** Figures for {@code mmh info}. */
    public Info info() throws IOException {
        long blobs = 0;
        for (BlobTable t : tables) {
            blobs += t.size();
        }
        return new Info(latest(), a.index().entries().size(), -1, a.index().totalRawSize(), a.size(), blobs,
                a.index().contentId(), a.footer().recoveryOffset() != 0, a.uncommittedBytes());
    }

    /**
     * Decodes and checks every block of the archive (opening its seal in an encrypted archive) on the pool, keeping
     * none: what an extraction of an encrypted archive does before it writes anything, so that a tampered archive
     * leaves no partial tree.
     *
     * @throws IOException the first block that fails (an {@link AuthenticationFailedException} for a broken seal)
     */
    public void checkBlocks() throws IOException {
        int n = a.index().entries().size();
        WorkerPool p = pool.pool();
        try (OrderedPipeline<Boolean> pipe = new OrderedPipeline<>(p, 2 * p.parallelism(), x -> { })) {
            for (int i = 0; i < n; i++) {
                int k = i;
                pipe.submit(t -> {
                    BlockCodec.release(p, BlockCodec.decode(t, a, k, p, cipher));
                    return Boolean.TRUE;
                });
            }
            pipe.finish();
        }
    }

    /** Whether the archive is encrypted (opened with its keys). */
    public boolean encrypted() {
        return cipher != null;
    }

    /** The archive as the block engine sees it (header, index, footer), for verification and info. */
    public SeekableArchive container() {
        return a;
    }

    /** Closes the file (and deletes a spooled copy). */
    @Override
    public void close() throws IOException {
        try {
            pool.close();
            ids.close();
            a.close();
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
                dev.mmh.io.AtomicOutput.keepOnShutdown(spool);
            }
        }
    }

    // ---- blobs from the blocks ----

    /** Blobs found through the blob tables and read from the blocks, decoded on the pool, with a small cache. */
    private final class Data implements ArchiveData {
        private final Map<Long, Block> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Block> eldest) {
                return size() > CACHED_BLOCKS;
            }
        };

        @Override
        public synchronized BlobTable.Location locate(BlobId id) throws IOException {
            for (int i = tables.size() - 1; i >= 0; i--) {
                BlobTable.Location l = tables.get(i).find(id);
                if (l != null) {
                    if (l.block() >= a.index().entries().size()) {
                        throw new CorruptDataException("blob " + id.shortHex() + " is in block " + l.block()
                                + ", past the archive's " + a.index().entries().size(), -1, -1);
                    }
                    return l;
                }
            }
            return null;
        }

        /** Parts of blocks ({@link BlockPrefix}), the latest few: their chunks must be checked against their IDs. */
        private final Map<Long, Span> parts = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Span> eldest) {
                return size() > 2;
            }
        };

        /** A whole block (decoded, cached) or a part of one ({@link #part}) that holds {@code [from, end)}, or null. */
        synchronized Span covering(long n, int from, int end) {
            Block b = cache.get(n);
            if (b != null) {
                return b.length() >= end ? new Span(b.bytes(), 0, 0, b.length(), true) : null;
            }
            Span p = parts.get(n);
            return p != null && p.from() <= from && p.end() >= end ? p : null;
        }

        synchronized void dropPart(long n) {
            parts.remove(n);
        }

        /**
         * The bytes {@code [from, end)} of block {@code n} decoded on their own ({@link BlockPrefix}), kept for the
         * next reads; {@code null} when only a whole decode will do.
         */
        Span part(long n, int from, int end) throws IOException {
            if (n < 0 || n >= a.index().entries().size() || cipher != null) {
                return null; // a sealed block opens whole (its tag covers all of it): no part of it decodes alone
            }
            BlockPrefix.Window w = BlockPrefix.decode(a, (int) n, from, end);
            if (w == null) {
                return null;
            }
            Span p = new Span(w.bytes(), w.position(), from, end, false);
            synchronized (this) {
                parts.put(n, p);
            }
            return p;
        }

        /** Pooled buffers lent out by {@link #lend}, by identity, until {@link #release} gives them back. */
        private final Map<byte[], Boolean> lent = new java.util.IdentityHashMap<>();

        private synchronized Block cached(long n) {
            return cache.get(n);
        }

        private synchronized void keep(Block b) {
            cache.put(b.number(), b);
        }

        @Override
        public Block block(long number) throws IOException {
            Block b = cached(number);
            if (b != null) {
                return b;
            }
            try (OrderedPipeline<Block> pipe = new OrderedPipeline<>(pool.pool(), 1, null)) {
                pipe.submit(t -> decode(t, number));
                b = pipe.next();
            }
            keep(b);
            return b;
        }

        @Override
        public Block block(WorkerState t, long number) throws IOException {
            Block b = cached(number);
            return b != null ? b : decode(t, number);
        }

        @Override
        public Block lend(WorkerState t, long number) throws IOException {
            Block b = cached(number);
            if (b != null) {
                return b;
            }
            BlockCodec.Decoded d = decoded(t, number);
            synchronized (lent) {
                lent.put(d.bytes(), Boolean.TRUE);
            }
            return new Block(number, d.bytes(), d.length());
        }

        @Override
        public void release(Block b) throws IOException {
            boolean mine;
            synchronized (lent) {
                mine = lent.remove(b.bytes()) != null;
            }
            if (mine) {
                BlockCodec.release(pool.pool(), new BlockCodec.Decoded(b.bytes(), b.length()));
            }
        }

        private Block decode(WorkerState t, long number) throws IOException {
            BlockCodec.Decoded d = decoded(t, number);
            byte[] copy = java.util.Arrays.copyOf(d.bytes(), d.length());
            BlockCodec.release(pool.pool(), d);
            return new Block(number, copy, copy.length);
        }

        private BlockCodec.Decoded decoded(WorkerState t, long number) throws IOException {
            if (number < 0 || number >= a.index().entries().size()) {
                throw new CorruptDataException("no block " + number, -1, -1);
            }
            return BlockCodec.decode(t, a, (int) number, pool.pool(), cipher);
        }
    }

    /** For tests: the entries of a version's top. */
    List<Entry> top(int n) throws IOException {
        return view(n).top();
    }

    /** For tests: every index entry. */
    List<IndexEntry> indexEntries() {
        return a.index().entries();
    }
}
