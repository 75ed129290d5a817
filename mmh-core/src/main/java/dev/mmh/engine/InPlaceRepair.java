package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.Index;
import dev.mmh.format.SeekableArchive;
import dev.mmh.io.CriticalSection;
import dev.mmh.io.Positional;
import dev.mmh.recovery.DamageReport;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryEncoder;
import dev.mmh.recovery.RecoveryParams;
import dev.mmh.recovery.Repairer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Repairs an archive with recovery data in place, writing only what was damaged (docs/FORMAT.md, "Recovery
 * section", for the order of the writes). Stateless; the channel is not closed.
 */
public final class InPlaceRepair {
    private InPlaceRepair() {
    }

    /** Most bytes of rebuilt shards {@link #repair} holds in memory before writing them. */
    public static final long MAX_BUFFERED_REPAIR = 256L << 20;

    /**
     * What {@link #repair} did.
     *
     * @param sectionRewritten the recovery section was damaged and written again
     * @param tailRewritten the index or footer (or the section's envelope) was damaged and written again
     * @param checked the blocks decoded and checked after the repair
     * @param index the repaired archive's index
     */
    public record Outcome(Repairer.Result result, boolean sectionRewritten, boolean tailRewritten,
            Verifier.Report checked, Index index) {
    }

    /** A rebuilt shard waiting to be written: its offset in the file and its bytes. */
    private record Piece(long offset, byte[] bytes) {
    }

    /**
     * Repairs the archive open in {@code ch} (read and write) in place, writing only what was damaged: the
     * rebuilt shards over the damaged ranges of the blocks, and, where they were damaged, the recovery section
     * and the index and footer (rebuilt exactly as they were). Nothing is written until every damaged shard has
     * been rebuilt in memory and the digest of the whole protected range, as it will be, matches the recorded
     * one. The rebuilt shards are written first and flushed; the section and tail after them in the order of
     * {@link ArchiveProtection#protectInPlace}. A crash or Ctrl-C part way leaves only bytes that were damaged
     * before still damaged: the archive stays repairable. Afterwards every block that held a repaired byte is
     * decoded and checked against its hash ({@link Outcome#checked()}); blocks that held no repaired byte are
     * bit-identical to the protected ones, which the digest proves.
     *
     * @return what was done, or {@code null} when the repair needs more than {@link #MAX_BUFFERED_REPAIR} bytes
     *     of memory (nothing written; repair into a copy with {@link CopyRepair} instead)
     * @throws dev.mmh.recovery.UnrepairableException if the damage exceeds the recovery data (nothing written)
     */
    public static Outcome repair(FileChannel ch, Examination e, int threads) throws IOException {
        ch = SeekableArchive.forRecovery(ch);
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
        if (!rebuilt.isEmpty()) {
            try (CriticalSection ignored = CriticalSection.enter()) {
                for (Piece piece : rebuilt) {
                    Positional.write(ch, ByteBuffer.wrap(piece.bytes()), piece.offset());
                }
                ch.force(false);
            }
        }
        ArchiveTail.Section s = RecoveryTail.section(rd);
        byte[] sectionBytes;
        if (section) {
            sectionBytes = RecoveryEncoder.encodeToBytes(ch, p, threads, s.bodyOffset());
        } else {
            sectionBytes = new byte[(int) p.sectionLength()];
            RecoveryTail.readFully(ch, sectionBytes, s.bodyOffset());
        }
        // the stored tail when it checks, else the one the (repaired) blocks imply; rebuilding it reads every
        // block header and hashes the content ID, which costs a repair of 100 MB a tenth of its time. Not trusted,
        // though its checksums hold, when the examination found the blocks intact and the tail not the one they
        // imply, nor when the damage reached the section (re-encoding it costs far more than the rebuild): a tail
        // that disagrees with the blocks, written back, leaves an archive that does not decode
        ArchiveTail t = report.clean() && e.tailDamaged() || section ? null : RecoveryTail.stored(ch, s);
        boolean tailDamaged = false;
        if (t == null) {
            t = RecoveryTail.implied(ch, s);
            tailDamaged = !t.heldBy(ch);
        }
        RecoveryTail.write(ch, t, sectionBytes, p);
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
        return new Outcome(r, section, tailDamaged, checked, repaired.index());
    }
}
