package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.format.SeekableArchive;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.Index;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryEncoder;
import dev.mmh.recovery.Repairer;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** Repairs an archive with recovery data into a new file, leaving the damaged one alone. Stateless. */
public final class CopyRepair {
    private CopyRepair() {
    }

    /**
     * What {@link #repair} wrote.
     *
     * @param index the repaired archive's index
     */
    public record Outcome(Repairer.Result result, Index index) {
    }

    /**
     * Writes the repaired archive {@code in} into {@code out} (an empty file): the protected bytes rebuilt from
     * parity, the recovery section encoded again (identical to the original), and the index and footer rebuilt
     * from the blocks. Not flushed; the caller verifies and commits it. Neither channel is closed.
     *
     * @throws dev.mmh.recovery.UnrepairableException if the damage exceeds the recovery data
     */
    public static Outcome repair(FileChannel in, Examination e, FileChannel out, int threads) throws IOException {
        in = SeekableArchive.forRecovery(in);
        RecoveryData rd = e.data();
        if (rd == null) {
            throw new CorruptDataException("no recovery data to repair from", -1, -1);
        }
        Repairer.Result r = Repairer.repair(in, in, rd, e.report(), out, threads);
        ArchiveTail.Section s = RecoveryTail.section(rd);
        RecoveryEncoder.encode(out, rd.params(), false, threads, out, s.bodyOffset());
        ArchiveTail t = RecoveryTail.implied(out, s);
        t.writeAround(out);
        return new Outcome(r, t.index());
    }
}
