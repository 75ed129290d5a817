package dev.mmh.recovery;

import java.util.List;

/**
 * What a scan found: which byte ranges of the protected data are damaged, whether the recovery data can
 * rebuild them, and the state of the recovery section itself. Immutable and thread-safe.
 *
 * <p>A data shard is damaged when its CRC32C disagrees with the table or when the file ends before it. A code
 * word can be rebuilt when it has at most m damaged shards (data and parity together).
 */
public final class DamageReport {
    /** Overall verdict. */
    public enum Status {
        /** Every shard matches, the length is right and the digest agrees. */
        CLEAN,
        /** Damage was found (possibly only in the recovery data or the length) and all of it can be repaired. */
        REPAIRABLE,
        /** Some damage exceeds what the recovery data can rebuild, or cannot be located. */
        NOT_REPAIRABLE
    }

    /**
     * A run of damaged protected bytes [offset, offset + length).
     *
     * @param repairable whether every shard of the run lies in a code word that can be rebuilt
     */
    public record Range(long offset, long length, boolean repairable) {}

    /** Damaged ranges listed by {@link #summary()}. */
    public static final int SUMMARY_RANGES = 20;

    private final Status status;
    private final RecoveryParams params;
    private final long fileLength;
    private final long damagedDataShards;
    private final long damagedParityShards;
    private final long damagedCodeWords;
    private final long unrepairableCodeWords;
    private final long damagedBytes;
    private final long repairableBytes;
    private final List<Range> ranges;
    private final boolean sectionDamaged;
    private final boolean digestMismatch;
    private final boolean lengthWrong;
    final boolean[] dataBad;
    final boolean[] parityBad;
    final long[] shardHash;
    final RecoveryData source;

    DamageReport(RecoveryData source, long fileLength, boolean[] dataBad, boolean[] parityBad, long[] shardHash,
            long damagedCodeWords, long unrepairableCodeWords, long damagedBytes, long repairableBytes,
            List<Range> ranges, boolean digestMismatch) {
        this.source = source;
        this.params = source.params();
        this.fileLength = fileLength;
        this.dataBad = dataBad;
        this.parityBad = parityBad;
        this.shardHash = shardHash;
        this.damagedCodeWords = damagedCodeWords;
        this.unrepairableCodeWords = unrepairableCodeWords;
        this.damagedBytes = damagedBytes;
        this.repairableBytes = repairableBytes;
        this.ranges = List.copyOf(ranges);
        this.digestMismatch = digestMismatch;
        this.damagedDataShards = count(dataBad);
        this.damagedParityShards = count(parityBad);
        this.lengthWrong = source.sidecar() ? fileLength != params.protectedLength()
                : fileLength < params.protectedLength();
        this.sectionDamaged = damagedParityShards > 0 || source.bookkeepingDamaged();
        if (unrepairableCodeWords > 0 || digestMismatch) {
            status = Status.NOT_REPAIRABLE;
        } else if (damagedDataShards > 0 || sectionDamaged || lengthWrong) {
            status = Status.REPAIRABLE;
        } else {
            status = Status.CLEAN;
        }
    }

    private static long count(boolean[] b) {
        long n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    public Status status() {
        return status;
    }

    public boolean clean() {
        return status == Status.CLEAN;
    }

    public boolean repairable() {
        return status != Status.NOT_REPAIRABLE;
    }

    public RecoveryParams params() {
        return params;
    }

    /** Length of the protected file or range as found (for a sidecar, the file's size). */
    public long fileLength() {
        return fileLength;
    }

    /** Bytes missing at the end (the file is shorter than the protected length), else 0. */
    public long missingBytes() {
        return Math.max(0, params.protectedLength() - fileLength);
    }

    /** For a sidecar: bytes after the protected length (appended garbage), else 0. */
    public long extraBytes() {
        return source.sidecar() ? Math.max(0, fileLength - params.protectedLength()) : 0;
    }

    public long damagedDataShards() {
        return damagedDataShards;
    }

    public long damagedParityShards() {
        return damagedParityShards;
    }

    public long damagedCodeWords() {
        return damagedCodeWords;
    }

    /** Code words with more damaged shards than parity shards. */
    public long unrepairableCodeWords() {
        return unrepairableCodeWords;
    }

    /** Protected bytes in damaged shards. */
    public long damagedBytes() {
        return damagedBytes;
    }

    /** Of {@link #damagedBytes()}, those in code words that can be rebuilt. */
    public long repairableBytes() {
        return repairableBytes;
    }

    /** Damaged runs of the protected range, in order. */
    public List<Range> ranges() {
        return ranges;
    }

    /** Whether the recovery section itself (parity, tables, header copies) is damaged. */
    public boolean sectionDamaged() {
        return sectionDamaged;
    }

    /** Every shard checksum matched but the digest did not: damage that cannot be located. */
    public boolean digestMismatch() {
        return digestMismatch;
    }

    /** Intact header copies of the section (of 2). */
    public int intactHeaderCopies() {
        return source.intactHeaderCopies();
    }

    /**
     * A first line with the counts, then one line per damaged range (at most {@value #SUMMARY_RANGES}; all of
     * them are in {@link #ranges()}), for a CLI to print.
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(status.name().toLowerCase().replace('_', ' ')).append(": ");
        b.append(damagedDataShards).append(" of ").append(params.dataShards()).append(" data shards (")
                .append(damagedBytes).append(" bytes) damaged, ").append(repairableBytes)
                .append(" bytes repairable; ").append(damagedParityShards).append(" of ")
                .append(params.parityShards()).append(" parity shards damaged; ")
                .append(unrepairableCodeWords).append(" of ").append(params.codeWords())
                .append(" code words beyond repair");
        if (missingBytes() > 0) {
            b.append("; file is ").append(missingBytes()).append(" bytes short");
        }
        if (extraBytes() > 0) {
            b.append("; ").append(extraBytes()).append(" extra bytes after the protected length");
        }
        if (source.bookkeepingDamaged()) {
            b.append("; recovery header copies intact: ").append(source.intactHeaderCopies())
                    .append("/2, damaged table chunks: ").append(source.damagedTableChunks(0)).append('+')
                    .append(source.damagedTableChunks(1));
        }
        if (digestMismatch) {
            b.append("; digest mismatch with every shard checksum matching");
        }
        int shown = 0;
        for (Range r : ranges) {
            if (shown++ == SUMMARY_RANGES) {
                b.append(System.lineSeparator()).append("  ... ").append(ranges.size() - SUMMARY_RANGES)
                        .append(" more damaged ranges");
                break;
            }
            b.append(System.lineSeparator()).append("  bytes ").append(r.offset()).append('-')
                    .append(r.offset() + r.length() - 1).append(r.repairable() ? " repairable" : " NOT repairable");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
