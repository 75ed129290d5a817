package dev.mmh.recovery;

import dev.mmh.io.AtomicOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Recovery data for any file, kept beside it in {@code FILE.mmhr} (as par2 does): the sidecar is one recovery
 * section at offset 0 that records the file's length and digest, so truncation and appended bytes show up
 * too. Files are written through {@link AtomicOutput} (a temporary file in the same folder, renamed into place
 * only when complete, deleted on failure and on Ctrl-C). The methods that take an open channel of the file let
 * a caller watch the reads (a progress bar); they neither close it nor move its position. Stateless and
 * thread-safe on distinct files.
 */
public final class Sidecar {
    /** Suffix of a sidecar file. */
    public static final String SUFFIX = ".mmhr";

    private Sidecar() {}

    /** {@code FILE.mmhr} beside {@code file}. */
    public static Path pathFor(Path file) {
        return file.resolveSibling(file.getFileName().toString().concat(SUFFIX));
    }

    /**
     * Writes a sidecar for the whole of {@code file}, replacing {@code sidecar} if it exists.
     *
     * @return the section written
     */
    public static RecoveryData protect(Path file, Path sidecar, RecoveryOptions options) throws IOException {
        try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ)) {
            return protect(src, sidecar, options);
        }
    }

    /** As {@link #protect(Path, Path, RecoveryOptions)}, for the file open in {@code file} (0 to its size). */
    public static RecoveryData protect(FileChannel file, Path sidecar, RecoveryOptions options) throws IOException {
        return writeSection(file, RecoveryParams.plan(file.size(), options.fraction()), options.threads(), sidecar);
    }

    private static RecoveryData writeSection(FileChannel src, RecoveryParams p, int threads, Path sidecar)
            throws IOException {
        try (AtomicOutput out = AtomicOutput.create(sidecar, true)) {
            RecoveryData rd = RecoveryEncoder.encode(src, p, true, threads, out.channel(), 0);
            out.commit();
            return rd;
        }
    }

    /** Reads the sidecar and checks {@code file} against it. */
    public static DamageReport scan(Path file, Path sidecar, int threads) throws IOException {
        try (FileChannel data = FileChannel.open(file, StandardOpenOption.READ)) {
            return scan(data, sidecar, threads);
        }
    }

    /** As {@link #scan(Path, Path, int)}, for the file open in {@code file}. */
    public static DamageReport scan(FileChannel file, Path sidecar, int threads) throws IOException {
        try (FileChannel sec = FileChannel.open(sidecar, StandardOpenOption.READ)) {
            return Repairer.scan(file, sec, RecoveryData.read(sec, 0), threads);
        }
    }

    /**
     * Repairs {@code file} into {@code out} (which may be {@code file} itself: it is replaced atomically, and
     * left alone if its data is intact) and, if the sidecar itself was damaged, rewrites it. Nothing is changed
     * when the damage is beyond repair.
     *
     * @throws UnrepairableException if the damage exceeds the recovery data (nothing written)
     */
    public static Repairer.Result repair(Path file, Path sidecar, Path out, int threads) throws IOException {
        try (FileChannel data = FileChannel.open(file, StandardOpenOption.READ)) {
            return repair(data, file, sidecar, out, true, threads);
        }
    }

    /**
     * As {@link #repair(Path, Path, Path, int)}, for {@code file} open in {@code data}.
     *
     * @param replace whether an existing {@code out} may be replaced (true when {@code out} is {@code file}); if
     *     not, and {@code out} appears before the repaired file is renamed to it, nothing is replaced
     * @throws java.nio.file.FileAlreadyExistsException if {@code out} exists and {@code replace} is false
     */
    public static Repairer.Result repair(FileChannel data, Path file, Path sidecar, Path out, boolean replace,
            int threads) throws IOException {
        Repairer.Result result;
        RecoveryData rd;
        try (FileChannel sec = FileChannel.open(sidecar, StandardOpenOption.READ)) {
            rd = RecoveryData.read(sec, 0);
            DamageReport report = Repairer.scan(data, sec, rd, threads);
            boolean dataIntact = report.damagedDataShards() == 0 && report.missingBytes() == 0
                    && report.extraBytes() == 0 && report.repairable();
            if (dataIntact && file.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                result = new Repairer.Result(report, 0, 0);
            } else {
                result = repairInto(data, sec, rd, report, out, replace, threads);
            }
        }
        if (result.report().sectionDamaged()) {
            try (FileChannel src = FileChannel.open(out, StandardOpenOption.READ)) {
                writeSection(src, rd.params(), threads, sidecar);
            }
        }
        return result;
    }

    private static Repairer.Result repairInto(FileChannel data, FileChannel sec, RecoveryData rd,
            DamageReport report, Path out, boolean replace, int threads) throws IOException {
        if (!report.repairable()) {
            throw new UnrepairableException(report);
        }
        try (AtomicOutput o = AtomicOutput.create(out, replace)) {
            Repairer.Result result = Repairer.repair(data, sec, rd, report, o.channel(), threads);
            o.commit();
            return result;
        }
    }
}
