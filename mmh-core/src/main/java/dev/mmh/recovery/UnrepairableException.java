package dev.mmh.recovery;

import dev.mmh.CorruptDataException;

/**
 * The damage exceeds what the recovery data can rebuild (or cannot be located); nothing was written.
 * {@link #report()} says what was damaged and how much could have been fixed.
 */
public class UnrepairableException extends CorruptDataException {
    private static final long serialVersionUID = 1L;
    private final transient DamageReport report;

    public UnrepairableException(DamageReport report) {
        super("damage beyond repair: " + report.summary().lines().findFirst().orElse(""), firstBad(report), -1);
        this.report = report;
    }

    private static long firstBad(DamageReport r) {
        for (DamageReport.Range x : r.ranges()) {
            if (!x.repairable()) {
                return x.offset();
            }
        }
        return -1;
    }

    /** The scan that found the damage (null after deserialisation). */
    public DamageReport report() {
        return report;
    }
}
