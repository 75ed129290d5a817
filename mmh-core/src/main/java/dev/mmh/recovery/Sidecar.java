package dev.mmh.recovery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Recovery data for any file, kept beside it in {@code FILE.mmhr} (as par2 does): the sidecar is one recovery
 * section at offset 0 that records the file's length and digest, so truncation and appended bytes show up
 * too. Files are written to a temporary file in the same folder and renamed into place only when complete.
 * Stateless and thread-safe on distinct files.
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
            RecoveryParams p = RecoveryParams.plan(src.size(), options.fraction());
            return writeSection(src, p, options.threads(), sidecar);
        }
    }

    private static RecoveryData writeSection(FileChannel src, RecoveryParams p, int threads, Path sidecar)
            throws IOException {
        Path tmp = temporaryBeside(sidecar);
        try {
            RecoveryData rd;
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                rd = RecoveryEncoder.encode(src, p, true, threads, out, 0);
                out.force(true);
            }
            moveIntoPlace(tmp, sidecar);
            return rd;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads the sidecar and checks {@code file} against it. */
    public static DamageReport scan(Path file, Path sidecar, int threads) throws IOException {
        try (FileChannel data = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel sec = FileChannel.open(sidecar, StandardOpenOption.READ)) {
            return Repairer.scan(data, sec, RecoveryData.read(sec, 0), threads);
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
        Repairer.Result result;
        RecoveryData rd;
        try (FileChannel data = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel sec = FileChannel.open(sidecar, StandardOpenOption.READ)) {
            rd = RecoveryData.read(sec, 0);
            DamageReport report = Repairer.scan(data, sec, rd, threads);
            boolean dataIntact = report.damagedDataShards() == 0 && report.missingBytes() == 0
                    && report.extraBytes() == 0 && report.repairable();
            if (dataIntact && file.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                result = new Repairer.Result(report, 0, 0);
            } else {
                result = repairInto(data, sec, rd, report, out, threads);
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
            DamageReport report, Path out, int threads) throws IOException {
        if (!report.repairable()) {
            throw new UnrepairableException(report);
        }
        Path tmp = temporaryBeside(out);
        try {
            Repairer.Result result;
            try (FileChannel dst = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                result = Repairer.repair(data, sec, rd, report, dst, threads);
                dst.force(true);
            }
            moveIntoPlace(tmp, out);
            return result;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates an empty, new file beside {@code target}. Not {@link Files#createTempFile}: its SecureRandom
     * costs tens of milliseconds of start-up in a short command.
     */
    private static Path temporaryBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String stem = new StringBuilder(".").append(target.getFileName()).append('.')
                .append(Long.toHexString(System.nanoTime())).append('.').toString();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(stem.concat(Integer.toString(attempt)).concat(".tmp"));
            try {
                Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return p;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 1000) {
                    throw e;
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
