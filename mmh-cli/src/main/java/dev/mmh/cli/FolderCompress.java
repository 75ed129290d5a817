package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Names;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.engine.CompressOptions;
import dev.mmh.io.AtomicOutput;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code mmh compress} of folders: one folder archive of every path given (a {@code DIR}, several paths with
 * {@code -o X.mmh}, a tar stream with {@code --from-tar}), or a new version of them added to one ({@code --append}),
 * through {@link FolderArchive}. Entries are stored under each path's last name, as {@code tar -C PARENT NAME}
 * stores them. What the library could not store as it was (an unreadable file, a file that changed while read, a
 * FIFO without {@code --special}) is one warning line each, {@code mmh: PATH: reason}; the archive is written
 * nonetheless and the exit code is 1 ({@link ExitCode#IO_ERROR}). {@code --rm} is refused for folders: deleting a
 * tree is left to the user, once the archive verifies.
 */
final class FolderCompress {
    private final CompressCommand c;
    private final PrintWriter err;

    private FolderCompress(CompressCommand c, PrintWriter err) {
        this.c = c;
        this.err = err;
    }

    /** Runs the command; usage errors are thrown as {@link QuickArgs#usage} makes them, before anything is read. */
    static int run(CompressCommand c, CompressOptions opts, double recovery, PrintWriter err) {
        return new FolderCompress(c, err).run(opts, recovery);
    }

    private RuntimeException usage(String message) {
        return QuickArgs.usage(c.spec, message);
    }

    private int run(CompressOptions opts, double recovery) {
        List<String> inputs = c.files == null ? List.of() : c.files;
        OutputOptions dest = c.dest;
        if (dest.remove) {
            throw usage("--rm does not apply to folders (delete them yourself once the archive verifies)");
        }
        if (c.rehash && !c.append) {
            throw usage("--rehash applies to --append");
        }
        if (c.fromTar != null && !inputs.isEmpty()) {
            throw usage("--from-tar takes no other input");
        }
        if (c.fromTar == null && inputs.isEmpty()) {
            throw usage("--append needs the folders to add");
        }
        if (inputs.contains("-")) {
            throw usage("- (stdin) cannot be packed beside folders; use --from-tar - for a tar stream");
        }
        if (c.append && dest.stdout) {
            throw usage("--append adds to an archive file: it cannot write to standard output");
        }
        if (c.append && c.fromTar != null && dest.output == null) {
            throw usage("--append --from-tar needs the archive: -o X.mmh");
        }
        if (c.fromTar == null && inputs.size() > 1 && dest.output == null && !dest.stdout) {
            throw usage("several paths make one folder archive: name it with -o X.mmh (or write it to stdout with -c)");
        }
        boolean toStdout = dest.stdout || c.fromTar != null && c.fromTar.equals("-") && dest.output == null;
        if (recovery > 0 && toStdout) {
            throw usage("--recovery needs an output file (use -o OUT, or add it later with mmh protect)");
        }
        String label = c.fromTar != null ? (c.fromTar.equals("-") ? "stdin" : c.fromTar)
                : inputs.size() == 1 ? inputs.get(0) : dest.output.toString();
        if (toStdout && Terminal.isTty(1) && !Boolean.getBoolean("mmh.allowTtyOutput")) {
            err.println("mmh: refusing to write compressed data to a terminal (use -o FILE or redirect stdout)");
            err.flush();
            return ExitCode.USAGE;
        }
        long start = System.nanoTime();
        try {
            List<FolderArchive.Source> sources = sources(inputs);
            if (sources == null) {
                return ExitCode.IO_ERROR;
            }
            Path target = toStdout ? null : dest.output != null ? dest.output : c.fromTar != null
                    ? tarTarget(Path.of(c.fromTar)) : beside(inputs.get(0));
            long before = -1;
            if (target != null && c.append && Files.exists(target)) {
                if (!Folders.isFolderArchive(target)) {
                    err.println("mmh: " + target + ": not a folder archive (--append adds versions to folder "
                            + "archives only)");
                    err.flush();
                    return ExitCode.USAGE;
                }
                before = Files.size(target);
            } else if (target != null && !dest.force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    && !AtomicOutput.isDeviceOrPipe(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists (use -f to overwrite)");
            }
            FolderArchive.WriteSummary s;
            CompressOptions made = opts;
            if (before < 0 && c.append && c.keys.passphrase()) {
                // --append to an archive that does not exist yet makes it: the passphrase encrypts it
                try {
                    made = opts.toBuilder().recipients(Keys.recipients(c.keys)).build();
                } catch (Keys.Usage u) {
                    throw usage(u.getMessage());
                }
            }
            try (Progress progress = new Progress("compress", -1, c.common.quiet)) {
                FolderArchive.WriteOptions w = new FolderArchive.WriteOptions(made.toBuilder().progress(progress)
                        .build(), ChunkerParams.DEFAULT, c.owner, c.xattrs, c.special, recovery, c.rehash);
                boolean appending = before >= 0;
                if (appending) {
                    // an encrypted archive is opened with the identities given (a passphrase is asked for only
                    // when the archive has one), and keeps its file key
                    w = w.withIdentities(Keys.identities(c.keys, err));
                }
                FolderArchive.WriteOptions wo = w;
                s = Keys.unwrapped(() -> write(sources, target, toStdout, appending, wo));
            }
            for (FolderArchive.Problem p : s.problems()) {
                err.println("mmh: " + p);
            }
            err.flush();
            if (!c.common.quiet && (c.common.verbose || Terminal.isTty(2))) {
                err.println(summary(label, s, before, System.nanoTime() - start, toStdout ? "stdout"
                        : target.toString()));
                err.flush();
            }
            return s.problems().isEmpty() ? ExitCode.OK : ExitCode.IO_ERROR;
        } catch (QuickArgs.Unparsed | picocli.CommandLine.ParameterException u) {
            throw u;
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, label, e);
        }
    }

    /**
     * Each input as a source under its last name; two inputs of one name are a usage error; {@code null} after saying
     * which input is missing.
     */
    private List<FolderArchive.Source> sources(List<String> inputs) throws IOException {
        List<FolderArchive.Source> out = new ArrayList<>(inputs.size());
        Set<String> names = new HashSet<>();
        for (String f : inputs) {
            Path p = Path.of(f);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                err.println("mmh: " + f + ": no such file or directory");
                err.flush();
                return null;
            }
            FolderArchive.Source s = FolderArchive.Source.of(p);
            if (!names.add(new String(s.name(), StandardCharsets.ISO_8859_1))) {
                throw usage("two inputs have the name " + Names.display(s.name()) + ": each path is stored under "
                        + "its last name, so they would collide");
            }
            out.add(s);
        }
        return out;
    }

    private FolderArchive.WriteSummary write(List<FolderArchive.Source> sources, Path target, boolean toStdout,
            boolean exists, FolderArchive.WriteOptions w) throws IOException {
        if (c.fromTar != null) {
            try (InputStream tar = new BufferedInputStream(c.fromTar.equals("-") ? Stdio.in()
                    : Files2.openInput(Path.of(c.fromTar)), 1 << 20)) {
                if (exists) {
                    return FolderArchive.appendFromTar(target, tar, w);
                }
                if (toStdout) {
                    OutputStream os = Stdio.out();
                    FolderArchive.WriteSummary s = FolderArchive.createFromTar(tar, null, os, false, w);
                    os.flush();
                    return s;
                }
                return FolderArchive.createFromTar(tar, target, null, c.dest.force, w);
            }
        }
        if (exists) {
            return FolderArchive.append(target, sources, w);
        }
        if (toStdout) {
            OutputStream os = Stdio.out();
            FolderArchive.WriteSummary s = FolderArchive.create(sources, os, w);
            os.flush();
            return s;
        }
        return FolderArchive.create(sources, target, c.dest.force, w);
    }

    /** {@code DIR.mmh} beside {@code DIR} (for {@code .}, beside the current folder, under its name). */
    static Path beside(String input) throws IOException {
        Path p = Path.of(input).toAbsolutePath().normalize();
        if (p.getFileName() == null) {
            throw new IOException("has no name to make the archive's from; use -o X.mmh");
        }
        byte[] name = dev.mmh.archive.fs.RawNames.name(p);
        byte[] withSuffix = java.util.Arrays.copyOf(name, name.length + 4);
        System.arraycopy(".mmh".getBytes(StandardCharsets.US_ASCII), 0, withSuffix, name.length, 4);
        return dev.mmh.archive.fs.RawNames.resolve(p.getParent(), withSuffix);
    }

    /** {@code NAME.mmh} for {@code NAME.tar} (or {@code NAME}). */
    static Path tarTarget(Path tar) {
        String n = tar.getFileName().toString();
        String base = n.endsWith(".tar") && n.length() > 4 ? n.substring(0, n.length() - 4) : n;
        return tar.resolveSibling(base + ".mmh");
    }

    private static String summary(String label, FolderArchive.WriteSummary s, long before, long nanos, String dest) {
        String counts = Report.grouped(s.files()) + " files, " + Report.grouped(s.directories()) + " directories, "
                + Report.grouped(s.others()) + " others";
        if (before < 0) {
            return Report.line(label, s.bytes(), s.archiveBytes(), nanos, dest) + " (version " + s.version() + ": "
                    + counts + ")";
        }
        double secs = nanos / 1e9;
        return String.format(java.util.Locale.ROOT, "%s: version %d: %s bytes, %s new; archive %s -> %s bytes (+%s) "
                + "in %.2f s, %.1f MB/s => %s (%s)", label, s.version(), Report.grouped(s.bytes()),
                Report.grouped(s.newBytes()), Report.grouped(before), Report.grouped(s.archiveBytes()),
                Report.grouped(s.archiveBytes() - before), secs, secs > 0 ? s.bytes() / 1e6 / secs : 0, dest, counts);
    }
}
