package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.read.Extractor;
import dev.mmh.io.AtomicOutput;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code mmh decompress} of a folder archive: version N (default the latest), all of it or the named paths and
 * everything below them, extracted into DEST ({@code -C}, default the current folder; made if missing) by
 * {@link FolderArchive#extract}, or written as a tar stream ({@code --to-tar}) to standard output or {@code -o FILE}.
 * An archive read from standard input is spooled by the library into a temporary file (in DEST, or the temporary
 * folder for {@code --to-tar}) that is deleted at the end.
 *
 * <p>Every entry that was not restored is one line, {@code mmh: X.mmh: PATH: reason}. Exit code: 3
 * ({@link ExitCode#DAMAGED}) if anything was damaged or refused (an unsafe path, a link out of DEST), else 1 if a
 * named path is not in the archive, else 7 ({@link ExitCode#EXISTS}) if something was only not overwritten (an
 * existing file, without {@code -f}), else 0.
 */
final class FolderExtract {
    /** Files an extraction gathers before it restores them (its window; bounds memory). */
    static final int WINDOW_FILES = 65_536;

    private FolderExtract() {
    }

    /**
     * Extracts the folder archive {@code name} ({@code -} for standard input, then read from {@code stdin}) as the
     * options of {@code d} say.
     *
     * @param pathArgs the paths to restore as given on the command line (empty: everything)
     */
    static int run(DecompressCommand d, String name, InputStream stdin, List<String> pathArgs, PrintWriter err) {
        String label = name.equals("-") ? "stdin" : name;
        OutputOptions dest = d.dest;
        String bad = d.toTar && d.directory != null ? "--to-tar writes a tar stream: it takes no -C DEST"
                : !d.toTar && dest.output != null ? "-o applies to --to-tar: a folder archive extracts into -C DEST"
                : !d.toTar && dest.stdout ? "a folder archive extracts into a folder (-C DEST); use --to-tar for a "
                        + "tar stream, or mmh cat for one file"
                : null;
        if (bad != null) {
            return usage(err, label, bad);
        }
        List<byte[]> paths = Folders.paths(pathArgs, label, err);
        if (paths == null) {
            return ExitCode.USAGE;
        }
        boolean toStdout = d.toTar && dest.output == null;
        if (toStdout && Terminal.isTty(1) && !Boolean.getBoolean("mmh.allowTtyOutput")) {
            return usage(err, label, "refusing to write a tar stream to a terminal (use -o FILE or redirect stdout)");
        }
        long start = System.nanoTime();
        Path into = d.directory != null ? d.directory : Path.of("").toAbsolutePath();
        Progress[] bar = new Progress[1];
        LongConsumer progress = n -> {
            Progress p = bar[0];
            if (p != null) {
                p.accept(n);
            }
        };
        try {
            if (!d.toTar && stdin != null) {
                Files.createDirectories(into); // the library spools standard input there
            }
            FolderArchive.ReadOptions ro = new FolderArchive.ReadOptions(d.common.threads(), null, progress,
                    d.identities(err));
            try (FolderArchive a = Keys.unwrapped(() -> stdin != null
                    ? FolderArchive.open(stdin, d.toTar ? Path.of(System.getProperty("java.io.tmpdir")) : into, ro)
                    : FolderArchive.open(Path.of(name), ro))) {
                int n = Folders.version(a, d.version, label, err);
                if (n < 0) {
                    return ExitCode.USAGE;
                }
                List<byte[]> found = new ArrayList<>(paths.size());
                boolean missing = false;
                for (byte[] p : paths) {
                    if (a.lookup(n, p) == null) {
                        err.println("mmh: " + label + ": " + Names.display(p) + ": not in the archive (version " + n
                                + ")");
                        missing = true;
                    } else {
                        found.add(p);
                    }
                }
                err.flush();
                if (missing && found.isEmpty()) {
                    return ExitCode.IO_ERROR;
                }
                if (a.encrypted()) {
                    // every seal is opened before anything is written: a tampered archive leaves no partial tree
                    a.checkBlocks();
                }
                if (!d.toTar) {
                    Files.createDirectories(into); // only now: a usage error makes no folder
                }
                long total = paths.isEmpty() ? a.versions().get(n - 1).bytes() : -1;
                int status;
                Extractor.Result r = null;
                try (Progress p = new Progress("decompress", total, d.common.quiet)) {
                    bar[0] = p;
                    if (d.toTar) {
                        toTar(a, n, found, dest);
                        status = ExitCode.OK;
                    } else {
                        r = a.extract(n, found, into, new Extractor.Options(dest.force, d.owner, d.xattrs,
                                d.special, d.common.threads(), WINDOW_FILES));
                        status = report(r, label, err);
                    }
                } finally {
                    bar[0] = null;
                }
                if (status == ExitCode.OK && missing) {
                    status = ExitCode.IO_ERROR;
                }
                if (!d.common.quiet && (d.common.verbose || Terminal.isTty(2))) {
                    err.println(summary(label, n, r, System.nanoTime() - start, d.toTar ? (toStdout ? "stdout"
                            : dest.output.toString()) : into.toString()));
                    err.flush();
                }
                if (status == ExitCode.OK && dest.remove && stdin == null) {
                    Files.delete(Path.of(name));
                }
                return status;
            }
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, label, e);
        }
    }

    private static int usage(PrintWriter err, String label, String message) {
        err.println("mmh: " + label + ": " + message);
        err.flush();
        return ExitCode.USAGE;
    }

    private static void toTar(FolderArchive a, int n, List<byte[]> paths, OutputOptions dest) throws Exception {
        if (dest.output == null) {
            OutputStream os = Stdio.out();
            a.toTar(n, paths, os);
            os.flush();
            return;
        }
        try (AtomicOutput out = AtomicOutput.create(dest.output, dest.force)) {
            a.toTar(n, paths, out.stream());
            out.stream().flush();
            out.commit();
        }
    }

    /** Prints each problem and returns the exit code the class comment gives. */
    private static int report(Extractor.Result r, String label, PrintWriter err) {
        boolean refused = false;
        boolean exists = false;
        for (Extractor.Problem p : r.problems()) {
            err.println("mmh: " + label + ": " + p);
            refused |= !p.exists();
            exists |= p.exists();
        }
        if (r.moreProblems() > 0) {
            err.println("mmh: " + label + ": " + Report.grouped(r.moreProblems()) + " more entries not restored "
                    + "(not shown)");
        }
        err.flush();
        return refused ? ExitCode.DAMAGED : exists ? ExitCode.EXISTS : ExitCode.OK;
    }

    private static String summary(String label, int n, Extractor.Result r, long nanos, String dest) {
        double secs = nanos / 1e9;
        if (r == null) {
            return String.format(java.util.Locale.ROOT, "%s: version %d as tar in %.2f s => %s", label, n, secs, dest);
        }
        return String.format(java.util.Locale.ROOT, "%s: version %d: %s files, %s directories, %s links, %s others, "
                + "%s bytes in %.2f s, %.1f MB/s => %s", label, n, Report.grouped(r.files()),
                Report.grouped(r.directories()), Report.grouped(r.links()), Report.grouped(r.others()),
                Report.grouped(r.bytes()), secs, secs > 0 ? r.bytes() / 1e6 / secs : 0, dest);
    }
}
