package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.MmhException;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.format.SeekableArchive;
import dev.mmh.format.StoredBlock;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerState;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Checks every part of an archive file and reports each damaged block, rather than stopping at the first.
 *
 * <p>With a sound footer and index, every block is read at the offset the index gives and checked in parallel:
 * header against index entry, stored-data CRC, decoding, and the hash of the decoded bytes; the content ID was
 * checked against the index when it was opened. When the footer or index is damaged, the blocks are found by
 * scanning from the start, resynchronising on the next valid block header after damage.
 */
public final class Verifier {
    /** Damaged places the scan reports before it stops, so that the report of any file fits in memory. */
    static final int MAX_DAMAGE = 1000;

    private Verifier() {
    }

    /**
     * One damaged place.
     *
     * @param block block number, or -1 for a structure outside blocks (header, index, footer)
     * @param offset archive offset where it was found, or -1
     */
    public record Damage(long block, long offset, String what) {
        @Override
        public String toString() {
            return what;
        }
    }

    /**
     * The outcome.
     *
     * @param blocks blocks found
     * @param rawBytes raw bytes of the blocks that checked out
     * @param contentId content ID from the index, or null when the index is unusable
     */
    public record Report(long blocks, long rawBytes, byte[] contentId, List<Damage> damage) {
        public boolean ok() {
            return damage.isEmpty();
        }
    }

    /**
     * Verifies an archive file, checking its blocks on {@code o}'s threads or shared pool and reporting each
     * block's raw bytes to {@code o}'s progress listener (on the calling thread); {@code o}'s memory limit bounds
     * the blocks in flight.
     *
     * @throws dev.mmh.NotMmhFormatException if it is not an mmh archive at all
     * @throws dev.mmh.UnsupportedFormatException if its version or a feature is unknown to this build
     */
    public static Report verify(Path file, DecompressOptions o) throws IOException {
        List<Damage> damage = new ArrayList<>();
        try (WorkerPool.Use use = o.workers()) {
            try (SeekableArchive a = SeekableArchive.open(file)) {
                return viaIndex(a, use.pool(), o, null, a.index().entries().size());
            } catch (CorruptDataException e) {
                damage.add(new Damage(e.block(), e.offset(), e.getMessage()));
            }
            try (FileChannel ch = SeekableArchive.committed(FileChannel.open(file, StandardOpenOption.READ))) {
                if (SeekableArchive.isCompact(ch)) {
                    // opening read the one block's header, which is all a scan would read: it found the damage
                    return new Report(1, 0, null, damage);
                }
                return scan(ch, use.pool(), o, damage);
            }
        }
    }

    /** One block's outcome: its raw size (counted as progress), and its damage or {@code null}. */
    private record Checked(long raw, Damage damage) {
    }

    /** Collects the outcomes in block order, on the calling thread. */
    private static final class Tally implements OrderedPipeline.Sink<Checked> {
        private final List<Damage> damage;
        private final LongConsumer progress;
        private long raw;

        Tally(List<Damage> damage, LongConsumer progress) {
            this.damage = damage;
            this.progress = progress;
        }

        /** Whether the scan reached {@link #MAX_DAMAGE} damaged places and should stop. */
        boolean stopped;

        @Override
        public void accept(Checked c) {
            if (c.damage != null) {
                if (stopped) {
                    return; // found by blocks already in flight when the limit was reached
                }
                if (damage.size() >= MAX_DAMAGE) {
                    // results arrive in file order, so the list holds exactly the first places and then this note
                    damage.add(new Damage(-1, c.damage.offset(), "more than " + MAX_DAMAGE
                            + " damaged places: the scan stopped here"));
                    stopped = true;
                    return;
                }
                damage.add(c.damage);
            } else {
                raw += c.raw;
            }
            if (progress != null) {
                progress.accept(c.raw);
            }
        }
    }

    /**
     * Reads and checks the header of block {@code number} where the index entry {@code e} says it is: magic, CRC,
     * limits, and agreement with the entry.
     *
     * @param hb room for the header
     */
    static BlockHeader header(SeekableArchive a, FileHeader fh, IndexEntry e, long number, byte[] hb)
            throws IOException {
        if (a.read(hb, e.offset(), hb.length) < hb.length) {
            throw new CorruptDataException("block header is cut off", e.offset(), number);
        }
        if (LE.get32(hb, 0) != Format.SECTION_BLOCK) {
            throw new CorruptDataException("block header magic is damaged", e.offset(), number);
        }
        BlockHeader h = BlockHeader.parse(hb, 0, fh, e.offset());
        if (h.number() != number || !e.matches(e.offset(), h)) {
            throw new CorruptDataException("block header disagrees with the index", e.offset(), number);
        }
        return h;
    }

    /**
     * What is wrong with the first block of {@code a} whose header or stored bytes fail their CRC32C, or whose
     * header disagrees with the index; {@code null} when every block checks. It reads each block once and
     * decodes nothing, so it costs about a read of the file: what {@code protect} runs before it computes parity,
     * since parity computed over damaged bytes would make the damage permanent (and replacing existing recovery
     * data would lose the means to repair it).
     */
    public static CorruptDataException firstChecksumFailure(SeekableArchive a) throws IOException {
        FileHeader fh = a.header();
        int hl = BlockHeader.size(fh.hash().length());
        byte[] hb = new byte[hl];
        byte[] buf = new byte[1 << 20];
        List<IndexEntry> entries = a.index().entries();
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            try {
                BlockHeader h = header(a, fh, e, i, hb);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                long pos = e.offset() + hl;
                long left = h.storedSize();
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    if (a.read(buf, pos, n) < n) {
                        throw new CorruptDataException("stored data is cut off", pos, i);
                    }
                    crc.update(buf, 0, n);
                    pos += n;
                    left -= n;
                }
                if (a.read(buf, pos, 4) < 4) {
                    throw new CorruptDataException("stored data checksum is cut off", pos, i);
                }
                if (LE.get32(buf, 0) != (int) crc.getValue()) {
                    throw new dev.mmh.ChecksumMismatchException("stored data checksum", Format.hex32(LE.get32(buf, 0)),
                            Format.hex32((int) crc.getValue()), e.offset() + hl, i);
                }
            } catch (CorruptDataException x) {
                return x;
            }
        }
        return null;
    }

    /**
     * Checks, through the index of {@code a}, only the blocks that hold a byte of one of the archive byte
     * ranges {@code [from, to)} (for instance what a repair rewrote), as {@link #verify} checks every block.
     * {@link Report#blocks()} and {@link Report#rawBytes()} count the blocks checked.
     */
    public static Report verifyRanges(SeekableArchive a, List<long[]> ranges, int threads) throws IOException {
        List<IndexEntry> entries = a.index().entries();
        boolean[] wanted = new boolean[entries.size()];
        int count = 0;
        for (int i = 0; i < entries.size(); i++) {
            long start = entries.get(i).offset();
            long end = i + 1 < entries.size() ? entries.get(i + 1).offset() : Long.MAX_VALUE;
            for (long[] r : ranges) {
                if (r[0] < end && r[1] > start) {
                    wanted[i] = true;
                    count++;
                    break;
                }
            }
        }
        try (WorkerPool pool = new WorkerPool(threads)) {
            return viaIndex(a, pool, DecompressOptions.builder().threads(threads).build(), wanted, count);
        }
    }

    /**
     * Checks one block: decodes it (opening it with {@code cipher} in an encrypted archive); an encrypted archive
     * checked without its key ({@code cipher == null}) gets its stored bytes' CRC checked only.
     */
    private static void check(WorkerState t, FileHeader fh, StoredBlock sb, BufferPool decoded, BufferPool stored,
            dev.mmh.crypto.ArchiveCipher cipher) throws IOException {
        if (fh.encrypted() && cipher == null) {
            try {
                sb.checkPayload();
            } finally {
                stored.put(sb.payload());
            }
            return;
        }
        decoded.put(Mmh.decode(t, fh, sb, decoded, stored, cipher).raw());
    }

    /** The keys of an encrypted archive when {@code o} has identities, else {@code null}. */
    static dev.mmh.crypto.ArchiveCipher cipher(SeekableArchive a, DecompressOptions o) throws IOException {
        FileHeader fh = a.header();
        if (!fh.encrypted() || o.identities().isEmpty()) {
            return null;
        }
        return dev.mmh.crypto.ArchiveCipher.open(a.encryptionBody(), fh.encode(), o.identities(), fh.length());
    }

    private static Report viaIndex(SeekableArchive a, WorkerPool pool, DecompressOptions o, boolean[] only,
            long count) throws IOException {
        FileHeader fh = a.header();
        dev.mmh.crypto.ArchiveCipher cipher = cipher(a, o);
        List<Damage> damage = new ArrayList<>();
        int hl = BlockHeader.size(fh.hash().length());
        BufferPool stored = EngineResources.storedBuffers(pool);
        BufferPool decoded = EngineResources.rawBuffers(pool);
        Tally tally = new Tally(damage, o.progress());
        try (OrderedPipeline<Checked> pipe = new OrderedPipeline<>(pool,
                Mmh.inFlightFor(fh.blockSize(), pool.parallelism(), o.memoryLimit()), tally)) {
            List<IndexEntry> entries = a.index().entries();
            for (int i = 0; i < entries.size(); i++) {
                if (only != null && !only[i]) {
                    continue;
                }
                IndexEntry e = entries.get(i);
                long number = i;
                pipe.submit(t -> {
                    byte[] hb = new byte[hl];
                    try {
                        BlockHeader h = header(a, fh, e, number, hb);
                        int n = (int) h.storedSize();
                        byte[] payload = stored.get(n + 4);
                        if (a.read(payload, e.offset() + hl, n + 4) < n + 4) {
                            throw new CorruptDataException("stored data is cut off", e.offset() + hl, number);
                        }
                        StoredBlock sb = new StoredBlock(h, e.offset(), payload, LE.get32(payload, n));
                        check(t, fh, sb, decoded, stored, cipher);
                        return new Checked(e.rawSize(), null);
                    } catch (CorruptDataException x) {
                        return new Checked(e.rawSize(), new Damage(number, x.offset(), x.getMessage()));
                    } catch (dev.mmh.AuthenticationFailedException x) {
                        return new Checked(e.rawSize(), new Damage(number, e.offset(), x.getMessage()));
                    }
                });
            }
            pipe.finish();
        }
        if (cipher != null && only == null && !fh.folder()) {
            try (dev.mmh.crypto.CryptoContext c = dev.mmh.crypto.CryptoContext.open()) {
                cipher.checkAuth(c, a.authBody(), a.index().entries().size(), a.index().totalRawSize(),
                        a.index().contentId(), a.authOffset());
            } catch (dev.mmh.AuthenticationFailedException e) {
                damage.add(new Damage(-1, a.authOffset(), e.getMessage()));
            }
        }
        return new Report(count, tally.raw, a.index().contentId(), damage);
    }

    /**
     * Finds the blocks by reading from the start, resynchronising on the next valid header after damage; the
     * blocks found are decoded on the workers, and every damage is reported in file order.
     */
    private static Report scan(FileChannel ch, WorkerPool pool, DecompressOptions o, List<Damage> damage)
            throws IOException {
        long size = ch.size();
        byte[] first = new byte[Format.MAX_HEADER_SIZE];
        int got = read(ch, first, 0, first.length);
        FileHeader fh;
        try {
            fh = FileHeader.parse(first, got);
        } catch (CorruptDataException e) {
            if (damage.stream().noneMatch(d -> d.offset() == e.offset() && d.what().equals(e.getMessage()))) {
                damage.add(new Damage(-1, e.offset(), "file header: " + e.getMessage()));
            } // else opening reported it already
            return new Report(0, 0, null, damage);
        }
        int hl = BlockHeader.size(fh.hash().length());
        byte[] hb = new byte[hl];
        long pos = fh.length();
        long blocks = 0;
        dev.mmh.crypto.ArchiveCipher cipher = null;
        if (fh.encrypted() && !o.identities().isEmpty()) {
            byte[] body = null;
            try {
                SectionEnvelope e = SectionEnvelope.read(ch, pos, size, true);
                body = SectionEnvelope.readBody(ch, pos, e.length(), Format.SECTION_ENCRYPTION);
            } catch (CorruptDataException e) {
                // reported as damage when the scan reaches it; the blocks are then checked without the key
            }
            if (body != null) {
                cipher = dev.mmh.crypto.ArchiveCipher.open(body, fh.encode(), o.identities(), pos);
            }
        }
        final dev.mmh.crypto.ArchiveCipher scanCipher = cipher;
        BufferPool stored = EngineResources.storedBuffers(pool);
        BufferPool decoded = EngineResources.rawBuffers(pool);
        Tally tally = new Tally(damage, o.progress());
        try (OrderedPipeline<Checked> pipe = new OrderedPipeline<>(pool,
                Mmh.inFlightFor(fh.blockSize(), pool.parallelism(), o.memoryLimit()), tally)) {
            while (pos + 4 <= size) {
                read(ch, hb, pos, Math.min(hl, (int) Math.min(Integer.MAX_VALUE, size - pos)));
                int magic = LE.get32(hb, 0);
                if (magic == Format.SECTION_INDEX) {
                    long superseded = fh.folder() ? SeekableArchive.supersededTail(ch, pos, size) : 0;
                    if (superseded > 0) {
                        pos += superseded; // an earlier version's index and footer: the blocks go on after them
                        continue;
                    }
                    break; // the index was reported when opening failed
                }
                if (tally.stopped) {
                    break;
                }
                BlockHeader h = null;
                if (magic != Format.SECTION_BLOCK && SectionEnvelope.isSection(magic)) {
                    try {
                        pos += SectionEnvelope.read(ch, pos, size, fh.encrypted()).length(); // e.g. recovery
                        continue;
                    } catch (CorruptDataException e) {
                        Damage d = new Damage(-1, e.offset(), e.getMessage());
                        if (!damage.contains(d)) { // opening the archive may have stopped at this section already
                            pipe.submitCompleted(new Checked(0, d)); // in file order, among the blocks' damage
                        }
                    }
                } else if (magic == Format.SECTION_BLOCK && pos + hl <= size) {
                    try {
                        h = BlockHeader.parse(hb, 0, fh, pos);
                    } catch (CorruptDataException e) {
                        pipe.submitCompleted(new Checked(0, new Damage(-1, pos, e.getMessage())));
                    }
                } else {
                    pipe.submitCompleted(new Checked(0, new Damage(-1, pos, "no block starts here")));
                }
                if (h == null) {
                    long next = resync(ch, fh, pos + 1, size);
                    if (next < 0) {
                        pipe.submitCompleted(new Checked(0, new Damage(-1, pos,
                                "no further block found after offset " + pos)));
                        break;
                    }
                    pos = next;
                    continue;
                }
                if (blocks == Format.MAX_BLOCKS) {
                    throw new LimitExceededException("archive", blocks + 1, Format.MAX_BLOCKS, "blocks");
                }
                blocks++;
                int n = (int) h.storedSize();
                byte[] payload = stored.get(n + 4);
                if (read(ch, payload, pos + hl, n + 4) < n + 4) {
                    pipe.submitCompleted(new Checked(0, new Damage(h.number(), pos + hl,
                            "block " + h.number() + ": stored data is cut off")));
                    break;
                }
                StoredBlock sb = new StoredBlock(h, pos, payload, LE.get32(payload, n));
                pipe.submit(t -> {
                    try {
                        check(t, fh, sb, decoded, stored, scanCipher);
                        return new Checked(sb.header().rawSize(), null);
                    } catch (CorruptDataException e) {
                        return new Checked(sb.header().rawSize(), new Damage(sb.header().number(), e.offset(),
                                e.getMessage()));
                    } catch (dev.mmh.AuthenticationFailedException e) {
                        return new Checked(sb.header().rawSize(), new Damage(sb.header().number(), sb.offset(),
                                e.getMessage()));
                    }
                });
                pos += h.sectionSize();
            }
            pipe.finish();
        }
        return new Report(blocks, tally.raw, null, damage);
    }

    /**
     * The offset of the next block header with a valid checksum, the index or an intact section of the tail at or
     * after {@code from}, or -1.
     */
    private static long resync(FileChannel ch, FileHeader fh, long from, long size) throws IOException {
        int hl = BlockHeader.size(fh.hash().length());
        byte[] buf = new byte[1 << 20];
        long base = from;
        while (base + hl <= size) {
            int n = read(ch, buf, base, (int) Math.min(buf.length, size - base));
            for (int i = 0; i + 4 <= n; i++) {
                int magic = LE.get32(buf, i);
                if (magic != Format.SECTION_BLOCK && magic != Format.SECTION_INDEX
                        && (magic & 0xffffff) == (Format.SECTION_BLOCK & 0xffffff)
                        && ArchiveTail.sectionAt(ch, base + i).isPresent()) {
                    return base + i;
                }
                if (magic == Format.SECTION_BLOCK || magic == Format.SECTION_INDEX) {
                    byte[] hb = new byte[hl];
                    if (read(ch, hb, base + i, hl) == hl) {
                        if (LE.get32(hb, 0) == Format.SECTION_INDEX) {
                            return base + i;
                        }
                        try {
                            BlockHeader.parse(hb, 0, fh, base + i);
                            return base + i;
                        } catch (MmhException ignored) {
                            // not a real header: keep looking
                        }
                    }
                }
            }
            if (n < buf.length) {
                break;
            }
            base += n - 3;
        }
        return -1;
    }

    private static int read(FileChannel ch, byte[] b, long pos, int len) throws IOException {
        return dev.mmh.io.Positional.read(ch, b, pos, len);
    }
}
