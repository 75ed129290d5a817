package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Footer;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.IndexBuilder;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import dev.mmh.io.CriticalSection;
import dev.mmh.recovery.DamageReport;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryEncoder;
import dev.mmh.recovery.RecoveryOptions;
import dev.mmh.recovery.RecoveryParams;
import dev.mmh.recovery.Repairer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recovery data inside .mmh archives (docs/FORMAT.md, "Recovery section"): adding or replacing it, judging
 * damage, and repairing. The recovery section protects the file header and every block (bytes [0, N)); it sits
 * between the last block and the index, wrapped in a self-checked {@code MMHR} envelope. The index and footer
 * are not protected by parity: a repair rebuilds them from the (repaired) blocks, byte for byte as they were.
 */
public final class ArchiveRecovery {
    private ArchiveRecovery() {
    }

    /**
     * Adds (or replaces) the recovery section of the archive in {@code ch}, in place: the file is cut after its
     * blocks and the section, the index and a new footer are appended. Use on a file nobody else sees yet (a
     * temporary file); the archive must be sound.
     *
     * @param fraction parity as a fraction of the protected bytes (0.05 for 5%)
     */
    public static void addRecovery(FileChannel ch, double fraction, int threads) throws IOException {
        Footer f = fullLayout(ch).footer();
        long n = f.recoveryOffset() != 0 ? f.recoveryOffset() : f.indexOffset();
        byte[] index = new byte[(int) f.indexLength()];
        readFully(ch, index, f.indexOffset());
        ch.truncate(n);
        writeSectionAndTail(ch, n, index, f.totalRawSize(), fraction, threads);
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
                    + (a.footer().recoveryOffset() != 0 ? " (this one has recovery data: run mmh repair)" : ""),
                    d.offset(), d.block(), d);
        }
        return a;
    }

    /**
     * Writes the archive of the compact layout in {@code in} to {@code out} (an empty file) in the full layout:
     * the 40-byte header, the same block section byte for byte, an index and a footer. The result is the archive
     * {@link Mmh#compress} writes for the same input and options without the compact layout. The block is
     * checked (its checksums and its decoded hash) before anything is written.
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
        long at = 0;
        writeFully(out, h, at);
        at += h.length;
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
        byte[] ib = idx.encode(full.hash().length());
        writeFully(out, ib, at);
        long fileLength = at + ib.length + Format.FOOTER_SIZE;
        writeFully(out, new Footer(at, ib.length, 0, 0, fileLength, idx.totalRawSize()).encode(), at + ib.length);
        out.truncate(fileLength);
    }

    /** What {@link #protectInPlace} did. */
    public enum Protected {
        /** The recovery section was added or replaced. */
        WRITTEN,
        /** The archive already held exactly this recovery data: nothing was written. */
        UNCHANGED
    }

    /**
     * Adds (or replaces) the recovery section of the archive open in {@code ch} (read and write) without copying
     * the archive: the blocks are never written; the bytes after them (old section, index, footer) are replaced
     * by the new envelope, section, index and footer, and the file is flushed to disk.
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
        Footer f = sound(fullLayout(ch)).footer();
        long n = f.recoveryOffset() != 0 ? f.recoveryOffset() : f.indexOffset();
        byte[] index = new byte[(int) f.indexLength()];
        readFully(ch, index, f.indexOffset());
        RecoveryParams p = RecoveryParams.plan(n, fraction);
        if (p.sectionLength() > RecoveryEncoder.MAX_BUFFERED_SECTION) {
            try (CriticalSection ignored = CriticalSection.enter()) {
                ch.truncate(n);
                writeSectionAndTail(ch, n, index, f.totalRawSize(), fraction, threads);
                ch.force(false);
            }
            return Protected.WRITTEN;
        }
        byte[] section = RecoveryEncoder.encodeToBytes(ch, p, threads, n + Format.SECTION_ENVELOPE);
        return writeTail(ch, n, section, p, index, f.totalRawSize()) ? Protected.WRITTEN : Protected.UNCHANGED;
    }

    /**
     * Writes envelope + {@code section} + envelope CRC + {@code index} + footer after the blocks that end at
     * {@code n}, unless the file already holds exactly these bytes, in the two ordered writes described at
     * {@link #protectInPlace}; then cuts the file after the footer and flushes it.
     *
     * @return whether anything was written
     */
    private static boolean writeTail(FileChannel ch, long n, byte[] section, RecoveryParams p, byte[] index,
            long totalRaw) throws IOException {
        long envLength = Format.SECTION_ENVELOPE + section.length + 4;
        long indexOffset = n + envLength;
        long fileLength = indexOffset + index.length + Format.FOOTER_SIZE;
        byte[] env = envelope(envLength);
        byte[] crc = new byte[4];
        LE.put32(crc, 0, Format.crc(env, 0, env.length));
        byte[] footer = new Footer(indexOffset, index.length, n, envLength, fileLength, totalRaw).encode();
        ByteBuffer[] tail = {ByteBuffer.wrap(env), ByteBuffer.wrap(section), ByteBuffer.wrap(crc),
            ByteBuffer.wrap(index), ByteBuffer.wrap(footer)};
        if (ch.size() == fileLength && sameBytes(ch, n, tail)) {
            return false;
        }
        int first = (int) p.parityOffset(); // header copy 0 and checksum table copy 0
        try (CriticalSection ignored = CriticalSection.enter()) {
            ByteBuffer head = ByteBuffer.allocate(env.length + first).put(env).put(section, 0, first).flip();
            writeFully(ch, head, n);
            tail[0].position(tail[0].limit());
            tail[1].position(first);
            writeFully(ch, tail, n + env.length + first);
            ch.truncate(fileLength);
            ch.force(false);
        }
        return true;
    }

    /**
     * What {@link #repairInPlace} did.
     *
     * @param sectionRewritten the recovery section was damaged and written again
     * @param tailRewritten the index or footer (or the section's envelope) was damaged and written again
     * @param checked the blocks decoded and checked after the repair
     * @param index the repaired archive's index
     */
    public record InPlace(Repairer.Result result, boolean sectionRewritten, boolean tailRewritten,
            Verifier.Report checked, Index index) {
    }

    /** A rebuilt shard waiting to be written: its offset in the file and its bytes. */
    private record Piece(long offset, byte[] bytes) {
    }

    /** Most bytes of rebuilt shards {@link #repairInPlace} holds in memory before writing them. */
    public static final long MAX_BUFFERED_REPAIR = 256L << 20;

    /**
     * Repairs the archive open in {@code ch} (read and write) in place, writing only what was damaged: the
     * rebuilt shards over the damaged ranges of the blocks, and, where they were damaged, the recovery section
     * and the index and footer (rebuilt exactly as they were). Nothing is written until every damaged shard has
     * been rebuilt in memory and the digest of the whole protected range, as it will be, matches the recorded
     * one. The rebuilt shards are written first and flushed; the section and tail after them in the order of
     * {@link #protectInPlace}. A crash or Ctrl-C part way leaves only bytes that were damaged before still
     * damaged: the archive stays repairable. Afterwards every block that held a repaired byte is decoded and
     * checked against its hash ({@link InPlace#checked()}); blocks that held no repaired byte are bit-identical
     * to the protected ones, which the digest proves.
     *
     * @return what was done, or {@code null} when the repair needs more than {@link #MAX_BUFFERED_REPAIR} bytes
     *     of memory (nothing written; repair into a copy instead)
     * @throws dev.mmh.recovery.UnrepairableException if the damage exceeds the recovery data (nothing written)
     */
    public static InPlace repairInPlace(FileChannel ch, Examination e, int threads) throws IOException {
        RecoveryData rd = e.data();
        if (rd == null) {
            throw new CorruptDataException("no recovery data to repair from", -1, -1);
        }
        DamageReport report = e.report();
        RecoveryParams p = rd.params();
        boolean section = report.sectionDamaged();
        if (report.damagedDataShards() * p.shardSize() > MAX_BUFFERED_REPAIR
                || section && p.sectionLength() > RecoveryEncoder.MAX_BUFFERED_SECTION) {
            return null;
        }
        List<Piece> rebuilt = new ArrayList<>();
        Repairer.Result r = Repairer.rebuild(ch, ch, rd, report, threads, (offset, bytes) -> {
            byte[] b = new byte[bytes.remaining()];
            bytes.duplicate().get(b);
            synchronized (rebuilt) {
                rebuilt.add(new Piece(offset, b));
            }
        });
        long n = rd.sectionOffset() - Format.SECTION_ENVELOPE;
        if (!rebuilt.isEmpty()) {
            try (CriticalSection ignored = CriticalSection.enter()) {
                for (Piece piece : rebuilt) {
                    writeFully(ch, piece.bytes(), piece.offset());
                }
                ch.force(false);
            }
        }
        byte[] sectionBytes;
        if (section) {
            sectionBytes = RecoveryEncoder.encodeToBytes(ch, p, threads, n + Format.SECTION_ENVELOPE);
        } else {
            sectionBytes = new byte[(int) p.sectionLength()];
            readFully(ch, sectionBytes, n + Format.SECTION_ENVELOPE);
        }
        // the stored tail when it checks, else the one the (repaired) blocks imply; rebuilding it reads every
        // block header and hashes the content ID, which costs a repair of 100 MB a tenth of its time. Not trusted,
        // though its checksums hold, when examine found the blocks intact and the tail not the one they imply, nor
        // when the damage reached the section (re-encoding it costs far more than the rebuild): a tail that
        // disagrees with the blocks, written back, leaves an archive that does not decode
        byte[] t = report.clean() && e.tailDamaged() || section ? null : storedTail(ch, n, p.sectionLength());
        boolean tailDamaged = false;
        if (t == null) {
            t = tail(ch, n, p.sectionLength());
            tailDamaged = !holdsTail(ch, n, p.sectionLength(), t);
        }
        byte[] index = Arrays.copyOfRange(t, 20, t.length - Format.FOOTER_SIZE);
        long footerAt = n + p.sectionLength() + t.length - Format.FOOTER_SIZE; // t = envelope, CRC, index, footer
        long totalRaw = Footer.parse(Arrays.copyOfRange(t, t.length - Format.FOOTER_SIZE, t.length),
                footerAt).totalRawSize();
        writeTail(ch, n, sectionBytes, p, index, totalRaw);
        List<long[]> ranges = new ArrayList<>();
        for (DamageReport.Range range : report.ranges()) {
            ranges.add(new long[] {range.offset(), range.offset() + range.length()});
        }
        // not closed: closing it would close the caller's channel
        SeekableArchive repaired = SeekableArchive.of(ch);
        Verifier.Report checked = Verifier.verifyRanges(repaired, ranges, threads);
        if (!checked.ok()) {
            throw new CorruptDataException("after the repair, " + checked.damage().get(0), -1, -1);
        }
        return new InPlace(r, section, tailDamaged, checked, repaired.index());
    }

    private static byte[] envelope(long envLength) {
        byte[] env = new byte[Format.SECTION_ENVELOPE];
        LE.put32(env, 0, Format.SECTION_RECOVERY);
        LE.put32(env, 4, Format.SECTION_SELF_CHECKED);
        LE.put64(env, 8, envLength);
        return env;
    }

    /** Whether the file holds exactly the bytes of {@code parts}, one after the other, from {@code pos} on. */
    private static boolean sameBytes(FileChannel ch, long pos, ByteBuffer[] parts) throws IOException {
        byte[] have = new byte[1 << 16];
        for (ByteBuffer part : parts) {
            byte[] want = part.array();
            for (int off = 0; off < want.length; ) {
                int len = Math.min(have.length, want.length - off);
                if (dev.mmh.io.Positional.read(ch, have, pos, len) < len
                        || !Arrays.equals(have, 0, len, want, off, off + len)) {
                    return false;
                }
                off += len;
                pos += len;
            }
        }
        return true;
    }

    private static void writeFully(FileChannel ch, ByteBuffer[] parts, long pos) throws IOException {
        for (ByteBuffer b : parts) {
            int len = b.remaining();
            writeFully(ch, b, pos);
            pos += len;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    private static void writeSectionAndTail(FileChannel ch, long n, byte[] index, long totalRaw, double fraction,
            int threads) throws IOException {
        RecoveryOptions opts = RecoveryOptions.of(fraction).withThreads(threads);
        RecoveryData rd = RecoveryEncoder.encode(ch, n, opts, ch, n + Format.SECTION_ENVELOPE);
        writeEnvelopeAndTail(ch, n, rd.sectionLength(), index, totalRaw);
    }

    /** Writes the R envelope around a section of {@code sectionLength} bytes at n + 16, then index and footer. */
    private static void writeEnvelopeAndTail(FileChannel ch, long n, long sectionLength, byte[] index, long totalRaw)
            throws IOException {
        long envLength = Format.SECTION_ENVELOPE + sectionLength + 4;
        byte[] env = envelope(envLength);
        writeFully(ch, env, n);
        byte[] crc = new byte[4];
        LE.put32(crc, 0, Format.crc(env, 0, env.length));
        writeFully(ch, crc, n + Format.SECTION_ENVELOPE + sectionLength);
        long indexOffset = n + envLength;
        writeFully(ch, index, indexOffset);
        long fileLength = indexOffset + index.length + Format.FOOTER_SIZE;
        writeFully(ch, new Footer(indexOffset, index.length, n, envLength, fileLength, totalRaw).encode(),
                indexOffset + index.length);
        ch.truncate(fileLength);
    }

    /** What {@link #examine} found. */
    public record Examination(boolean hasRecovery, RecoveryData data, DamageReport report, boolean tailDamaged,
            String note) {
        /** Nothing damaged anywhere (blocks, section, index, footer). */
        public boolean clean() {
            return hasRecovery && report.clean() && !tailDamaged;
        }

        public boolean repairable() {
            return hasRecovery && report.repairable();
        }
    }

    /**
     * Finds the archive's recovery section (through the footer, or by scanning from the end when the footer is
     * damaged) and judges every byte it protects, plus the index and footer.
     */
    public static Examination examine(FileChannel ch, int threads) throws IOException {
        RecoveryData rd = find(ch);
        if (rd == null) {
            return new Examination(false, null, null, false, "no recovery data");
        }
        DamageReport report = Repairer.scan(ch, ch, rd, threads);
        boolean tail = true;
        if (report.clean()) {
            tail = !tailMatches(ch, rd);
        }
        return new Examination(true, rd, report, tail, report.summary());
    }

    /** The recovery data of the archive in {@code ch}, or {@code null} if it has none. */
    static RecoveryData find(FileChannel ch) throws IOException {
        if (SeekableArchive.isCompact(ch)) {
            return null; // its header checks, and that layout has no room for recovery data
        }
        long hint = -1;
        long size = ch.size();
        if (size >= Format.FOOTER_SIZE) {
            byte[] f = new byte[Format.FOOTER_SIZE];
            readFully(ch, f, size - f.length);
            try {
                Footer ft = Footer.parse(f, size - f.length);
                if (ft.recoveryOffset() == 0) {
                    return null;
                }
                hint = ft.recoveryOffset() + Format.SECTION_ENVELOPE;
            } catch (MmhException e) {
                hint = -1; // footer damaged: scan for the section from the end
            }
        }
        try {
            return RecoveryData.read(ch, hint);
        } catch (NotMmhFormatException e) {
            return null;
        }
    }

    /** Whether the envelope, index and footer around the section are exactly what the blocks imply. */
    private static boolean tailMatches(FileChannel ch, RecoveryData rd) throws IOException {
        long n = rd.sectionOffset() - Format.SECTION_ENVELOPE;
        long l = rd.sectionLength();
        try {
            return holdsTail(ch, n, l, tail(ch, n, l));
        } catch (MmhException e) {
            return false;
        }
    }

    /** Whether the file holds {@code expected} ({@link #tail}) around a section of {@code l} bytes at n + 16. */
    private static boolean holdsTail(FileChannel ch, long n, long l, byte[] expected) throws IOException {
        if (ch.size() != n + l + expected.length) {
            return false;
        }
        byte[] actual = new byte[expected.length];
        byte[] env = new byte[16];
        readFully(ch, env, n);
        byte[] rest = new byte[expected.length - 16];
        readFully(ch, rest, n + 16 + l);
        System.arraycopy(env, 0, actual, 0, 16);
        System.arraycopy(rest, 0, actual, 16, rest.length);
        return Arrays.equals(actual, expected);
    }

    /**
     * The envelope header (16) + envelope CRC (4) + index + footer as stored around a section of {@code l} bytes
     * at n + 16, when each checks (the footer and the index by their CRCs, the envelope header byte for byte
     * and by its CRC) and the footer agrees with where the section, the index and the end of the file are; else
     * {@code null}. After a repair of the blocks, a tail that checks is the one the blocks imply (the repaired
     * blocks are then decoded against its index).
     */
    private static byte[] storedTail(FileChannel ch, long n, long l) throws IOException {
        long size = ch.size();
        long envLength = Format.SECTION_ENVELOPE + l + 4;
        if (size < n + envLength + Format.FOOTER_SIZE) {
            return null;
        }
        try {
            byte[] f = new byte[Format.FOOTER_SIZE];
            readFully(ch, f, size - f.length);
            Footer ft = Footer.parse(f, size - f.length);
            if (ft.recoveryOffset() != n || ft.recoveryLength() != envLength || ft.indexOffset() != n + envLength
                    || ft.fileLength() != size || ft.indexOffset() + ft.indexLength() + f.length != size
                    || ft.indexLength() > Integer.MAX_VALUE - 64) {
                return null;
            }
            byte[] env = new byte[16];
            readFully(ch, env, n);
            byte[] crc = new byte[4];
            readFully(ch, crc, n + 16 + l);
            if (!Arrays.equals(env, envelope(envLength)) || LE.get32(crc, 0) != Format.crc(env, 0, 16)) {
                return null;
            }
            byte[] t = new byte[20 + (int) ft.indexLength() + f.length];
            System.arraycopy(env, 0, t, 0, 16);
            System.arraycopy(crc, 0, t, 16, 4);
            byte[] index = new byte[(int) ft.indexLength()];
            readFully(ch, index, ft.indexOffset());
            byte[] hb = new byte[Format.HEADER_SIZE];
            readFully(ch, hb, 0);
            Index.parse(index, FileHeader.parse(hb, hb.length).hash().length(), ft.indexOffset());
            System.arraycopy(index, 0, t, 20, index.length);
            System.arraycopy(f, 0, t, 20 + index.length, f.length);
            return t;
        } catch (MmhException e) {
            return null;
        }
    }

    /** The envelope header (16) + envelope CRC (4) + index + footer that follow blocks ending at n. */
    private static byte[] tail(FileChannel ch, long n, long sectionLength) throws IOException {
        Index idx = IndexBuilder.fromBlocks((b, pos, len) -> readUpTo(ch, b, pos, len), n);
        byte[] hb = new byte[Format.HEADER_SIZE];
        readFully(ch, hb, 0);
        FileHeader fh = FileHeader.parse(hb, hb.length);
        byte[] index = idx.encode(fh.hash().length());
        long envLength = Format.SECTION_ENVELOPE + sectionLength + 4;
        byte[] env = envelope(envLength);
        long indexOffset = n + envLength;
        long fileLength = indexOffset + index.length + Format.FOOTER_SIZE;
        byte[] footer = new Footer(indexOffset, index.length, n, envLength, fileLength, idx.totalRawSize()).encode();
        byte[] out = new byte[20 + index.length + footer.length];
        System.arraycopy(env, 0, out, 0, 16);
        LE.put32(out, 16, Format.crc(env, 0, 16));
        System.arraycopy(index, 0, out, 20, index.length);
        System.arraycopy(footer, 0, out, 20 + index.length, footer.length);
        return out;
    }

    /**
     * Writes the repaired archive into {@code out} (an empty file): the protected bytes rebuilt from parity, the
     * recovery section encoded again (identical to the original), and the index and footer rebuilt from the
     * blocks. The caller verifies and commits it.
     *
     * @throws dev.mmh.recovery.UnrepairableException if the damage exceeds the recovery data
     */
    public static Repairer.Result repair(FileChannel in, Examination e, FileChannel out, int threads)
            throws IOException {
        RecoveryData rd = e.data();
        if (rd == null) {
            throw new CorruptDataException("no recovery data to repair from", -1, -1);
        }
        Repairer.Result r = Repairer.repair(in, in, rd, e.report(), out, threads);
        long n = rd.sectionOffset() - Format.SECTION_ENVELOPE;
        RecoveryData again = RecoveryEncoder.encode(out, rd.params(), false, threads, out,
                n + Format.SECTION_ENVELOPE);
        byte[] t = tail(out, n, again.sectionLength());
        writeFully(out, Arrays.copyOfRange(t, 0, 16), n);
        writeFully(out, Arrays.copyOfRange(t, 16, 20), n + Format.SECTION_ENVELOPE + again.sectionLength());
        writeFully(out, Arrays.copyOfRange(t, 20, t.length), n + Format.SECTION_ENVELOPE + again.sectionLength() + 4);
        out.truncate(n + Format.SECTION_ENVELOPE + again.sectionLength() + 4 + t.length - 20);
        return r;
    }

    private static int readUpTo(FileChannel ch, byte[] b, long pos, int len) throws IOException {
        return dev.mmh.io.Positional.read(ch, b, pos, len);
    }

    private static void readFully(FileChannel ch, byte[] b, long pos) throws IOException {
        if (readUpTo(ch, b, pos, b.length) < b.length) {
            throw new CorruptDataException("archive ends early", pos, -1);
        }
    }

    private static void writeFully(FileChannel ch, byte[] b, long pos) throws IOException {
        writeFully(ch, ByteBuffer.wrap(b), pos);
    }

    /** Opens a file for {@link #examine}. */
    public static FileChannel open(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.READ);
    }
}
