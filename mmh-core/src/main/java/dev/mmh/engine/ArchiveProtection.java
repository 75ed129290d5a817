package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.SeekableArchive;
import dev.mmh.io.CriticalSection;
import dev.mmh.io.Positional;
import dev.mmh.recovery.RecoveryEncoder;
import dev.mmh.recovery.RecoveryParams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Puts recovery data into archives (docs/FORMAT.md, "Recovery section"): adds or replaces the section of an
 * archive of the full layout, in place, and rewrites an archive of the compact layout, which has no room for
 * one, in the full layout. The section protects the file header and every block (bytes [0, N)) and sits between
 * the last block and the index. Stateless; the channels are neither closed nor positioned.
 */
public final class ArchiveProtection {
    private ArchiveProtection() {
    }

    /** What {@link #protectInPlace} did. */
    public enum Protected {
        /** The recovery section was added or replaced. */
        WRITTEN,
        /** The archive already held exactly this recovery data: nothing was written. */
        UNCHANGED
    }

    /**
     * Adds (or replaces) the recovery section of the archive in {@code ch}: the file is cut after its blocks and
     * the section, the index and a new footer are written after them. Use on a file nobody else sees yet (a
     * temporary file); the archive must be sound. Not flushed.
     *
     * @param fraction parity as a fraction of the protected bytes (0.05 for 5%)
     */
    public static void addRecovery(FileChannel ch, double fraction, int threads) throws IOException {
        ch = settled(ch);
        ArchiveTail old = fullLayout(ch).tail();
        RecoveryParams p = RecoveryParams.plan(old.blocksEnd(), fraction);
        ch.truncate(old.blocksEnd());
        writeSectionAndTail(ch, withSection(old, p), p, threads);
    }

    /**
     * Adds (or replaces) the recovery section of the archive open in {@code ch} (read and write) without copying
     * the archive: the blocks are never written; the bytes after them (old section, index, footer) are replaced
     * by the new envelope, section, index and footer, and the file is flushed to disk. Every block's checksums
     * are checked first ({@link Verifier#firstChecksumFailure}): parity is never computed over damaged bytes.
     *
     * <p>A section of up to {@link RecoveryEncoder#MAX_BUFFERED_SECTION} bytes (archives up to about 5 GB at 5%)
     * is built in memory first and then written in two steps: the envelope, header copy 0 and checksum table
     * copy 0, then everything else. A crash or power loss after the first step leaves an archive whose blocks
     * are intact and whose section is found by its first header copy: {@code mmh repair} rebuilds the rest. Only
     * a cut inside the first write (a few kilobytes) leaves the tail unreadable; the blocks are intact even then.
     * Ctrl-C waits for both writes ({@link CriticalSection}). A larger section is encoded straight into place.
     * If the archive already holds byte-identical recovery data, nothing is written at all.
     *
     * @param fraction parity as a fraction of the protected bytes (0.05 for 5%)
     */
    public static Protected protectInPlace(FileChannel ch, double fraction, int threads) throws IOException {
        ch = settled(ch);
        ArchiveTail old = sound(fullLayout(ch)).tail();
        long n = old.blocksEnd();
        RecoveryParams p = RecoveryParams.plan(n, fraction);
        ArchiveTail tail = withSection(old, p);
        if (p.sectionLength() > RecoveryEncoder.MAX_BUFFERED_SECTION) {
            try (CriticalSection ignored = CriticalSection.enter()) {
                ch.truncate(n);
                writeSectionAndTail(ch, tail, p, threads);
                ch.force(false);
            }
            return Protected.WRITTEN;
        }
        byte[] section = RecoveryEncoder.encodeToBytes(ch, p, threads, recovery(tail).bodyOffset());
        return RecoveryTail.write(ch, tail, section, p) ? Protected.WRITTEN : Protected.UNCHANGED;
    }

    /** Encodes the recovery section of {@code tail} (of {@code p}) straight into place, then writes around it. */
    private static void writeSectionAndTail(FileChannel ch, ArchiveTail tail, RecoveryParams p, int threads)
            throws IOException {
        RecoveryEncoder.encode(ch, p, false, threads, ch, recovery(tail).bodyOffset());
        tail.writeAround(ch);
    }

    /** The tail of {@code old}'s blocks and index with a recovery section of {@code p} (and no other section). */
    private static ArchiveTail withSection(ArchiveTail old, RecoveryParams p) {
        return old.withoutSections().withSection(ArchiveTail.Kind.RECOVERY, p.sectionLength());
    }

    private static ArchiveTail.Section recovery(ArchiveTail t) {
        return t.section(ArchiveTail.Kind.RECOVERY).orElseThrow();
    }

    /**
     * The archive in {@code ch} made to end at the end of its file before its tail is replaced: a folder archive with
     * a committed length loses the bytes after it (an interrupted append, never part of the archive) and its header
     * then records 0 ("the end of the file"), flushed; the recovery data of a folder archive covers its header with
     * that field as 0 anyway ({@link SeekableArchive#forRecovery}), so this changes nothing it protects. Returns the
     * channel to work through.
     */
    private static FileChannel settled(FileChannel ch) throws IOException {
        byte[] h = new byte[Format.MAX_HEADER_SIZE];
        int n = dev.mmh.io.Positional.read(ch, h, 0, h.length);
        FileHeader fh;
        try {
            fh = FileHeader.parse(h, n);
        } catch (dev.mmh.MmhException e) {
            return ch; // the open that follows reports it
        }
        if (fh.folder() && fh.committedLength() != 0) {
            try (CriticalSection ignored = CriticalSection.enter()) {
                if (ch.size() > fh.committedLength()) {
                    ch.truncate(fh.committedLength());
                }
                dev.mmh.io.Positional.write(ch, java.nio.ByteBuffer.wrap(fh.asFolder(0).encode()), 0);
                ch.force(false);
            }
        }
        return SeekableArchive.forRecovery(ch);
    }

    /** Opens the archive in {@code ch}, which must be in the full layout: only that one has room for a section. */
    private static SeekableArchive fullLayout(FileChannel ch) throws IOException {
        SeekableArchive a = SeekableArchive.of(ch);
        if (a.header().compact()) {
            throw new IllegalArgumentException("a compact archive holds no recovery data: expand() it first");
        }
        return a;
    }

    /**
     * {@code a}, if every block's checksums hold; else a {@link CorruptDataException} naming the first damaged
     * block. Parity must never be computed over damaged bytes: the damage would become permanent, and existing
     * recovery data, which could still repair it, would be replaced.
     */
    private static SeekableArchive sound(SeekableArchive a) throws IOException {
        CorruptDataException d = Verifier.firstChecksumFailure(a);
        if (d != null) {
            throw new CorruptDataException(d.reason() + "; recovery data is only added to an undamaged archive"
                    + (a.tail().section(ArchiveTail.Kind.RECOVERY).isPresent()
                    ? " (this one has recovery data: run mmh repair)" : ""),
                    d.offset(), d.block(), d);
        }
        return a;
    }

    /**
     * Writes the archive of the compact layout in {@code in} to {@code out} (an empty file) in the full layout:
     * the 40-byte header, the same block section byte for byte, an index and a footer. The result is the archive
     * {@link Mmh#compress} writes for the same input and options without the compact layout. The block is
     * checked (its checksums and its decoded hash) before anything is written. Not flushed.
     */
    public static void expand(FileChannel in, FileChannel out, int threads) throws IOException {
        SeekableArchive a = SeekableArchive.of(in);
        if (!a.header().compact()) {
            throw new IllegalArgumentException("not a compact archive");
        }
        Verifier.Report r = Verifier.verifyRanges(a, List.of(new long[] {0, a.size()}), threads);
        if (!r.damage().isEmpty()) {
            Verifier.Damage d = r.damage().get(0);
            throw new CorruptDataException(d.what(), d.offset(), d.block());
        }
        FileHeader full = a.header().withCompact(false);
        byte[] h = full.encode();
        Positional.write(out, ByteBuffer.wrap(h), 0);
        long at = h.length;
        out.position(at);
        for (long from = Format.COMPACT_HEADER_SIZE; from < a.size(); ) {
            long n = in.transferTo(from, a.size() - from, out);
            if (n <= 0) {
                throw new CorruptDataException("archive ends early", from, 0);
            }
            from += n;
            at += n;
        }
        Index idx = new Index(List.of(a.index().entries().get(0).at(h.length)), a.index().totalRawSize(),
                a.index().contentId());
        ArchiveTail.after(at, idx, full.hash().length()).writeAround(out);
    }
}
