package dev.mmh.engine;

import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.Footer;
import dev.mmh.format.SeekableArchive;
import dev.mmh.recovery.DamageReport;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.Repairer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * What {@link #examine} found in an archive with recovery data: the section, the damage in the bytes it protects
 * (file header and blocks) and in itself, and whether the tail after it (its envelope, the index, the footer),
 * which parity does not cover, is damaged. Immutable.
 *
 * @param hasRecovery whether the archive holds a recovery section (if not, the other fields say nothing)
 * @param data the recovery section found, or {@code null}
 * @param report the damage in the protected bytes and in the section, or {@code null}
 * @param tailDamaged whether the envelope, index or footer is damaged (a repair rebuilds them from the blocks)
 * @param note one line for a person: the report's summary, or "no recovery data"
 */
public record Examination(boolean hasRecovery, RecoveryData data, DamageReport report, boolean tailDamaged,
        String note) {
    /** Nothing damaged anywhere (blocks, section, index, footer). */
    public boolean clean() {
        return hasRecovery && report.clean() && !tailDamaged;
    }

    /** Whether a repair can restore the whole archive: a damaged tail is always rebuilt, so the report decides. */
    public boolean repairable() {
        return hasRecovery && report.repairable();
    }

    /**
     * Finds the recovery section of the archive in {@code ch} (through the footer, or by scanning from the end
     * when the footer is damaged) and judges every byte it protects, the section itself and the tail. The tail is
     * judged on its own: with the blocks intact, it must be byte for byte the tail they imply; with damage in
     * them, its own checks (CRCs, limits, where it says the section and the index are) decide, so damage inside
     * a block is not taken for a damaged index or footer. Reads only; {@code ch} is not closed.
     */
    public static Examination examine(FileChannel ch, int threads) throws IOException {
        ch = SeekableArchive.forRecovery(ch);
        RecoveryData rd = find(ch);
        if (rd == null) {
            return new Examination(false, null, null, false, "no recovery data");
        }
        DamageReport report = Repairer.scan(ch, ch, rd, threads);
        return new Examination(true, rd, report, !tailIntact(ch, rd, report), report.summary());
    }

    private static boolean tailIntact(FileChannel ch, RecoveryData rd, DamageReport report) throws IOException {
        ArchiveTail.Section s = RecoveryTail.section(rd);
        if (report.damagedDataShards() > 0 || report.missingBytes() > 0 || report.digestMismatch()) {
            return RecoveryTail.stored(ch, s) != null;
        }
        try {
            return RecoveryTail.implied(ch, s).heldBy(ch);
        } catch (MmhException e) {
            return false;
        }
    }

    /** The recovery data of the archive in {@code ch}, or {@code null} if it has none. */
    static RecoveryData find(FileChannel ch) throws IOException {
        if (SeekableArchive.isCompact(ch)) {
            return null; // its header checks, and that layout has no room for recovery data
        }
        long hint;
        try {
            Footer f = ArchiveTail.readFooter(ch);
            Optional<ArchiveTail.Section> s = ArchiveTail.section(f, ArchiveTail.Kind.RECOVERY);
            if (s.isEmpty()) {
                return null;
            }
            hint = s.get().bodyOffset();
        } catch (MmhException e) {
            hint = -1; // footer damaged: scan for the section from the end
        }
        try {
            return RecoveryData.read(ch, hint);
        } catch (NotMmhFormatException e) {
            return null;
        }
    }
}
