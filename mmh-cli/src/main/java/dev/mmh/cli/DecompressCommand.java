package dev.mmh.cli;

import dev.mmh.codec.Codecs;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Examination;
import dev.mmh.engine.Mmh;
import dev.mmh.engine.Summary;
import dev.mmh.io.AtomicOutput;
import dev.mmh.work.WorkerPool;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code mmh decompress}: FILE.mmh becomes FILE. Its command line: {@link Commands#DECOMPRESS}. */
final class DecompressCommand implements Callable<Integer> {
    final List<String> files;
    final OutputOptions dest;
    final Path directory;
    final Integer version;
    final boolean toTar;
    final boolean owner;
    final boolean xattrs;
    final boolean special;
    final Common common;

    /** Picocli's model of the command when picocli runs it, else {@code null}. */
    final CommandLine.Model.CommandSpec spec;

    /** Where errors go when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    final PrintWriter err;
    final Keys.Options keys;
    private java.util.List<dev.mmh.crypto.age.Identity> identities;

    /** The identities of the command line (read once; a passphrase is asked for only when an archive needs one). */
    java.util.List<dev.mmh.crypto.age.Identity> identities(PrintWriter err) throws java.io.IOException {
        if (identities == null) {
            identities = Keys.identities(keys, err);
        }
        return identities;
    }

    /** With no options. */
    DecompressCommand() {
        this(new Args(Commands.DECOMPRESS));
    }

    DecompressCommand(Args a) {
        keys = Keys.Options.of(a);
        files = a.params();
        dest = new OutputOptions(a);
        directory = a.get(Commands.DIRECTORY);
        version = a.get(Commands.ARCHIVE_VERSION);
        toTar = a.isSet(Commands.TO_TAR);
        owner = a.isSet(Commands.RESTORE_OWNER);
        xattrs = a.isSet(Commands.RESTORE_XATTRS);
        special = a.isSet(Commands.RESTORE_SPECIAL);
        common = new Common(a);
        spec = a.spec;
        err = a.err;
    }

    @Override
    public Integer call() {
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        List<String> inputs = files == null || files.isEmpty() ? List.of("-") : files;
        // a folder archive first: the arguments after it are paths in it
        String first = inputs.get(0);
        if (first.equals("-")) {
            stdin = new java.io.BufferedInputStream(Stdio.in(), 1 << 16);
            try {
                stdin.mark(FolderHead.SIZE);
                byte[] head = stdin.readNBytes(FolderHead.SIZE);
                stdin.reset();
                if (FolderHead.is(head)) {
                    return FolderExtract.run(this, first, stdin, inputs.subList(1, inputs.size()), err);
                }
            } catch (java.io.IOException e) {
                return Errors.report(err, "stdin", e);
            }
        } else if (FolderHead.is(Path.of(first))) {
            return FolderExtract.run(this, first, null, inputs.subList(1, inputs.size()), err);
        }
        boolean folders = false;
        for (String name : inputs) {
            folders |= !name.equals("-") && FolderHead.is(Path.of(name));
        }
        if (!folders && (directory != null || version != null || toTar || owner || xattrs || special)) {
            // no throw to picocli: it would run the command again, on a standard input already read from
            err.println("mmh: " + (first.equals("-") ? "stdin" : first) + ": not a folder archive (-C, --version, "
                    + "--to-tar, --owner, --xattrs and --special apply to folder archives)");
            err.flush();
            return ExitCode.USAGE;
        }
        if (dest.output != null && inputs.size() > 1) {
            throw QuickArgs.usage(spec, "-o takes one input file");
        }
        if (inputs.size() > 1 && !folders && mayOverlap(inputs)) {
            return overlapped(inputs, err);
        }
        int status = ExitCode.OK;
        for (String name : inputs) {
            // a folder archive among single-file ones is extracted whole, into -C DEST or the current folder
            int s = folders && !name.equals("-") && FolderHead.is(Path.of(name))
                    ? FolderExtract.run(this, name, null, List.of(), err)
                    : one(name, err, null, null, () -> true);
            if (status == ExitCode.OK) {
                status = s;
            }
        }
        return status;
    }

    /** Standard input, once its first bytes were looked at; {@code null} until then. */
    private java.io.InputStream stdin;

    /**
     * Whether several archives may be decoded overlapping, as {@link #overlapped} does: each into its own file,
     * no two into the same one, and none into a file that is another one's input (which a sequential run would
     * read only after writing it).
     */
    boolean mayOverlap(List<String> inputs) {
        if (dest.stdout || dest.output != null
                || !inputs.stream().allMatch(name -> name.endsWith(".mmh") && name.length() > 4)) {
            return false;
        }
        return Overlap.independent(inputs, name -> name.substring(0, name.length() - 4));
    }

    /**
     * Decodes the archives overlapping on shared workers ({@link Overlap}). They start in order of their
     * {@link #decodeCost estimated decoding time}, longest first, so that the last block left running alone is a
     * short one (on the 9 Silesia `--max` archives the 8 MiB bwt block of x-ray, started eighth, ran alone for
     * 0.2 s while the other core idled).
     */
    private int overlapped(List<String> inputs, PrintWriter err) {
        long[] cost = new long[inputs.size()];
        for (int i = 0; i < cost.length; i++) {
            // many small archives gain nothing from the order and would wait for every index to be read first
            cost[i] = cost.length <= MAX_REORDERED ? decodeCost(Path.of(inputs.get(i))) : 0;
        }
        return Overlap.run(inputs, cost, common.threads(), "decompress", this::one, err);
    }

    /** Most archives whose start order {@link #overlapped} chooses; beyond this they start in argument order. */
    static final int MAX_REORDERED = 256;

    /**
     * About how long the archive takes to decode, in nanoseconds of one core: each block's raw size times its
     * codec's {@link #decodeNanosPerByte}. 0 when the archive's index cannot be read; the decoder then reports why.
     */
    static long decodeCost(Path archive) {
        try (dev.mmh.format.SeekableArchive a = dev.mmh.format.SeekableArchive.open(archive)) {
            long c = 0;
            for (dev.mmh.format.IndexEntry e : a.index().entries()) {
                c += e.rawSize() * decodeNanosPerByte(e.codecId());
            }
            return c;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * About how many nanoseconds one core spends decoding a raw byte of a codec's blocks, as measured on the
     * corpus: a scheduling estimate for the order above, not a promise. 1 for the fast LZ codecs, and for codecs
     * this table does not know (a codec from another jar).
     */
    static int decodeNanosPerByte(int codecId) {
        return switch (codecId) {
            case Codecs.DEFLATE -> 2;
            case Codecs.BROTLI -> 3;
            case Codecs.XZ -> 13; // liblzma does 72-76 MB/s on the samba and ooffice blocks
            case Codecs.BWT -> 28; // the native decoder does 35-41 MB/s on Silesia
            default -> 1;
        };
    }

    /** The raw size from the archive's footer (or compact block header), for the progress bar; -1 if unreadable. */
    private static long rawSizeOrUnknown(Path p) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            return dev.mmh.format.SeekableArchive.totalRawSize(ch);
        } catch (java.io.IOException | RuntimeException e) {
            return -1; // a damaged footer is reported by the decoder, with its offset
        }
    }

    /**
     * Decodes one archive, reporting to {@code err}.
     *
     * @param pool shared workers, or null for the archive's own
     * @param inputEnd to be told when the archive has been read to its end (with shared workers), or null
     * @param mayShowProgress whether this archive's progress bar may appear now
     */
    private int one(String name, PrintWriter err, WorkerPool pool, Overlap.InputEnd inputEnd,
            java.util.function.BooleanSupplier mayShowProgress) {
        boolean fromStdin = name.equals("-");
        boolean toStdout = dest.stdout || (fromStdin && dest.output == null);
        String label = fromStdin ? "stdin" : name;
        Path in = fromStdin ? null : Path.of(name);
        Path target = null;
        if (!toStdout) {
            if (dest.output != null) {
                target = dest.output;
            } else if (name.endsWith(".mmh") && name.length() > 4) {
                target = Path.of(name.substring(0, name.length() - 4));
            } else {
                err.println("mmh: " + name + ": unknown suffix (expected .mmh); use -o OUT or -c");
                return ExitCode.USAGE;
            }
        }
        long start = System.nanoTime();
        try (InputStream file = fromStdin ? (stdin != null ? stdin : Stdio.in()) : Files2.openInput(in);
             Progress progress = new Progress("decompress", fromStdin ? -1 : rawSizeOrUnknown(in), common.quiet,
                     mayShowProgress)) {
            InputStream is = inputEnd == null ? file : inputEnd.watch(file);
            // an existing file is never overwritten by surprise; a device or a pipe (-o /dev/null) is just written
            if (target != null && !dest.force && Files.exists(target) && !AtomicOutput.isDeviceOrPipe(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists (use -f to overwrite)");
            }
            DecompressOptions run = DecompressOptions.builder().threads(common.threads()).pool(pool)
                    .progress(progress).identities(identities(err)).build();
            Summary s;
            if (toStdout) {
                OutputStream os = Stdio.out();
                s = Keys.unwrapped(() -> Mmh.decompress(is, os, run));
                os.flush();
            } else {
                try (AtomicOutput out = AtomicOutput.create(target, dest.force)) {
                    s = Keys.unwrapped(() -> Mmh.decompress(is, out.stream(), run));
                    out.commit();
                }
            }
            if (dest.remove && in != null) {
                Files.delete(in);
            }
            if (!common.quiet && (common.verbose || Terminal.isTty(2))) {
                err.println(Report.line(label, s.rawBytes(), s.archiveBytes(), System.nanoTime() - start,
                        toStdout ? "stdout" : target.toString()));
            }
            return ExitCode.OK;
        } catch (dev.mmh.CorruptDataException | dev.mmh.NotMmhFormatException e) {
            if (in == null || toStdout) {
                return Errors.report(err, label, e);
            }
            return repairAndRetry(in, target, label, e, err);
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, label, e);
        }
    }

    /**
     * The archive is damaged: if its recovery data can rebuild it, repair a copy in the temporary folder, decode
     * that, and say so; otherwise report the original failure.
     */
    private int repairAndRetry(Path in, Path target, String label, Exception original, PrintWriter err) {
        Examination x;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(in)) {
            x = Examination.examine(ch, common.threads());
            if (!x.hasRecovery() || !x.repairable()) {
                return Errors.report(err, label, original);
            }
            Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "mmh-repair-" + ProcessHandle.current().pid()
                    + "-" + System.nanoTime() + ".mmh");
            try (AtomicOutput repaired = AtomicOutput.create(scratch, false)) {
                Recovery.repairInto(ch, x, repaired, common.threads());
                try (InputStream is = Files.newInputStream(repaired.tempFile());
                     AtomicOutput out = AtomicOutput.create(target, dest.force)) {
                    Keys.unwrapped(() -> Mmh.decompress(is, out.stream(), DecompressOptions.builder()
                            .threads(common.threads()).identities(identities(err)).build()));
                    out.commit();
                }
            }
            err.println("mmh: " + label + ": damaged (" + Errors.describe(original) + "); repaired from its recovery "
                    + "data and decompressed; run mmh repair to fix the archive itself");
            err.flush();
            return ExitCode.OK;
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, label, original);
        }
    }
}
