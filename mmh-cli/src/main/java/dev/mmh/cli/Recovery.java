package dev.mmh.cli;

import dev.mmh.engine.CopyRepair;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Examination;
import dev.mmh.engine.InPlaceRepair;
import dev.mmh.engine.Mmh;
import dev.mmh.format.Format;
import dev.mmh.format.Index;
import dev.mmh.format.IndexEntry;
import dev.mmh.io.AtomicOutput;
import dev.mmh.recovery.DamageReport;
import dev.mmh.recovery.Repairer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Shared by compress, protect, repair, verify and decompress: recovery data on the command line. */
final class Recovery {
    private Recovery() {
    }

    /** Parses {@code 5%}, {@code 5} or {@code 0.05} into a fraction; 0.1% .. 50%. */
    static double fraction(String s) {
        String v = s.trim();
        double f;
        try {
            f = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100
                    : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--recovery takes a percentage such as 5%, not '" + s + "'");
        }
        if (!v.endsWith("%") && f >= 1) {
            f /= 100; // "5" means 5%
        }
        if (!(f >= 0.001 && f <= 0.5)) {
            throw new IllegalArgumentException("--recovery must be between 0.1% and 50%");
        }
        return f;
    }

    /** The default from the MMH_RECOVERY environment variable, or null. */
    static String fromEnvironment() {
        String v = System.getenv("MMH_RECOVERY");
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * Repairs the archive {@code in} into the atomic output {@code out} and checks the result by decoding every
     * block. Returns the lines that say what was repaired.
     */
    static List<String> repairInto(FileChannel in, Examination e, AtomicOutput out, int threads)
            throws IOException {
        FileChannel ch = out.channel();
        CopyRepair.Outcome done = CopyRepair.repair(in, e, ch, threads);
        ch.force(true);
        try (InputStream check = Files.newInputStream(out.tempFile())) {
            Mmh.decompress(check, null, DecompressOptions.builder().threads(threads).build());
        }
        return describe(e, done.index(), done.result(), e.report().sectionDamaged(), e.tailDamaged());
    }

    /**
     * Repairs the archive open for reading and writing in {@code ch} in place, writing only the damaged bytes
     * ({@link InPlaceRepair#repair}). Returns the lines that say what was repaired, or {@code null} when
     * the repair is too large to hold in memory (nothing written: repair into a copy with {@link #repairInto}).
     */
    static List<String> repairInPlace(FileChannel ch, Examination e, int threads)
            throws IOException {
        InPlaceRepair.Outcome done = InPlaceRepair.repair(ch, e, threads);
        if (done == null) {
            return null;
        }
        List<String> lines = describe(e, done.index(), done.result(), done.sectionRewritten(), done.tailRewritten());
        lines.add("checked " + done.checked().blocks() + " repaired block" + (done.checked().blocks() == 1 ? "" : "s")
                + " by decoding");
        return lines;
    }

    private static List<String> describe(Examination e, Index idx, Repairer.Result r,
            boolean section, boolean tail) {
        List<String> lines = new ArrayList<>();
        for (DamageReport.Range range : e.report().ranges()) {
            lines.add("repaired bytes " + range.offset() + ".." + (range.offset() + range.length()) + " ("
                    + where(idx, range.offset(), range.offset() + range.length()) + ")");
        }
        if (section) {
            lines.add("rebuilt the recovery section");
        }
        if (tail) {
            lines.add("rebuilt the index and footer from the blocks");
        }
        lines.add(Report.grouped(r.repairedBytes()) + " bytes in " + r.repairedShards() + " shards rebuilt from parity");
        return lines;
    }

    /** "file header", "blocks 3..5", "the recovery section" for a byte range. */
    private static String where(Index idx, long from, long to) {
        List<String> parts = new ArrayList<>();
        if (from < (idx.entries().isEmpty() ? Format.HEADER_SIZE : idx.entries().get(0).offset())) {
            parts.add("file header");
        }
        long first = -1;
        long last = -1;
        for (int i = 0; i < idx.entries().size(); i++) {
            IndexEntry e = idx.entries().get(i);
            long end = i + 1 < idx.entries().size() ? idx.entries().get(i + 1).offset() : Long.MAX_VALUE;
            if (e.offset() < to && end > from) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first >= 0) {
            parts.add(first == last ? "block " + first : "blocks " + first + ".." + last);
        }
        return parts.isEmpty() ? "recovery data" : String.join(", ", parts);
    }
}
