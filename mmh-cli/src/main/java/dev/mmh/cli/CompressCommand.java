package dev.mmh.cli;

import dev.mmh.analysis.Goal;
import dev.mmh.analysis.TensorHeaders;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.engine.ArchiveProtection;
import dev.mmh.engine.BlockPlan;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import dev.mmh.engine.Summary;
import dev.mmh.hash.ContentHash;
import dev.mmh.io.AtomicOutput;
import dev.mmh.work.WorkerPool;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/** {@code mmh compress}: FILE becomes FILE.mmh. Its command line: {@link Commands#COMPRESS}. */
final class CompressCommand implements Callable<Integer> {
    final List<String> files;
    final OutputOptions dest;
    final String codec;
    final Integer level;
    final boolean fast;
    final boolean max;
    final Integer longWindow;
    final boolean extreme;
    final Long blockSize;
    final String recovery;
    final Keys.Options keys;
    final String hash;
    final boolean append;
    final String fromTar;
    final boolean owner;
    final boolean xattrs;
    final boolean special;
    final boolean rehash;
    final Common common;

    /** Picocli's model of the command when picocli runs it, else {@code null}. */
    final CommandLine.Model.CommandSpec spec;

    /** Where errors go when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    final PrintWriter err;

    private double fraction;

    /** With no options. */
    CompressCommand() {
        this(new Args(Commands.COMPRESS));
    }

    CompressCommand(Args a) {
        keys = Keys.Options.of(a);
        files = a.params();
        dest = new OutputOptions(a);
        codec = a.get(Commands.CODEC);
        level = a.get(Commands.LEVEL);
        fast = a.isSet(Commands.FAST);
        max = a.isSet(Commands.MAX);
        longWindow = a.get(Commands.LONG);
        extreme = a.isSet(Commands.EXTREME);
        blockSize = a.get(Commands.BLOCK_SIZE);
        recovery = a.get(Commands.RECOVERY);
        hash = a.get(Commands.HASH, "xxh64");
        append = a.isSet(Commands.APPEND);
        fromTar = a.get(Commands.FROM_TAR);
        owner = a.isSet(Commands.OWNER);
        xattrs = a.isSet(Commands.XATTRS);
        special = a.isSet(Commands.SPECIAL);
        rehash = a.isSet(Commands.REHASH);
        common = new Common(a);
        spec = a.spec;
        err = a.err;
    }

    @Override
    public Integer call() {
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        CompressOptions opts;
        try {
            opts = options();
        } catch (IllegalArgumentException e) {
            throw QuickArgs.usage(spec, e.getMessage());
        }
        List<String> inputs = files == null || files.isEmpty() ? List.of("-") : files;
        String rec = recovery != null ? recovery : Recovery.fromEnvironment();
        try {
            fraction = rec == null || rec.equals("0") || rec.equals("0%") ? 0 : Recovery.fraction(rec);
        } catch (IllegalArgumentException e) {
            throw QuickArgs.usage(spec, e.getMessage());
        }
        boolean recipients = !keys.recipients().isEmpty() || !keys.recipientFiles().isEmpty();
        boolean identities = !keys.identities().isEmpty();
        if (append && recipients) {
            throw QuickArgs.usage(spec, "--append keeps the archive's recipients: open an encrypted archive with -i "
                    + "IDENTITY or --passphrase");
        }
        if (identities && !append) {
            throw QuickArgs.usage(spec, "-i opens an encrypted archive to --append to; encrypt with -r, -R or "
                    + "--passphrase");
        }
        // with --append, a passphrase opens the archive (an identity); else it encrypts (a recipient)
        boolean encrypt = recipients || keys.passphrase() && !append;
        if (keys.pad() && !encrypt) {
            throw QuickArgs.usage(spec, "--pad applies to encrypted archives (with -r, -R or --passphrase)");
        }
        if (encrypt) {
            try {
                opts = opts.toBuilder().recipients(Keys.recipients(keys)).pad(keys.pad()).build();
            } catch (Keys.Usage e) {
                throw QuickArgs.usage(spec, e.getMessage());
            } catch (java.io.IOException e) {
                return Errors.report(err, "passphrase", e);
            }
        }
        if (folderMode()) {
            // a separate class, so that compressing files loads none of the folder archives' classes
            return FolderCompress.run(this, opts, fraction, err);
        }
        if (owner || xattrs || special || rehash) {
            throw QuickArgs.usage(spec, "--owner, --xattrs, --special and --rehash apply to folder archives (a "
                    + "folder, --append or --from-tar)");
        }
        if (fraction > 0 && (dest.stdout || inputs.contains("-") && dest.output == null)) {
            throw QuickArgs.usage(spec,
                    "--recovery needs an output file (use -o OUT, or add it later with mmh protect)");
        }
        if (dest.output != null && inputs.size() > 1) {
            throw QuickArgs.usage(spec, "-o takes one input file");
        }
        if (fraction > 0) {
            opts = opts.withCompact(false); // the recovery section is added to the full layout in place
        }
        if (inputs.size() > 1 && mayOverlap(inputs)) {
            CompressOptions o = opts;
            long[] cost = new long[inputs.size()];
            for (int i = 0; i < cost.length; i++) {
                cost[i] = Files2.sizeOrUnknown(Path.of(inputs.get(i))); // largest first
            }
            return Overlap.run(inputs, cost, common.threads(), "compress",
                    (name, e, pool, end, show) -> one(name, o, e, pool, end, show), err);
        }
        int status = ExitCode.OK;
        for (String name : inputs) {
            int s = one(name, opts, err, null, null, () -> true);
            if (status == ExitCode.OK) {
                status = s;
            }
        }
        return status;
    }

    /**
     * Whether the command line asks for a folder archive ({@link FolderCompress}): a folder among the inputs,
     * {@code --append} or {@code --from-tar}.
     */
    boolean folderMode() {
        if (fromTar != null || append) {
            return true;
        }
        if (files != null) {
            for (String f : files) {
                if (!f.equals("-") && Files.isDirectory(Path.of(f))) {
                    return true;
                }
            }
        }
        return false;
    }

    CompressOptions options() {
        if (fast && max) {
            throw new IllegalArgumentException("--fast and --max exclude each other");
        }
        boolean auto = codec == null && level == null;
        Codec c = Codecs.byName(codec == null ? "zstd" : codec);
        int lv = level != null ? level : fast ? c.fastLevel() : max ? c.maxLevel() : c.defaultLevel();
        int flags = (extreme ? CodecParams.EXTREME : 0) | (longWindow != null ? CodecParams.LONG : 0);
        long bs = blockSize != null ? blockSize : dev.mmh.format.Format.DEFAULT_BLOCK_SIZE;
        if (bs < dev.mmh.format.Format.MIN_BLOCK_SIZE || bs > dev.mmh.format.Format.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("--block-size must be between 1K and 1G");
        }
        ContentHash h = switch (hash.toLowerCase(java.util.Locale.ROOT)) {
            case "xxh64" -> ContentHash.XXH64;
            case "sha256", "sha-256" -> ContentHash.SHA256;
            default -> throw new IllegalArgumentException("--hash must be xxh64 or sha256");
        };
        return CompressOptions.builder().codec(c.name()).level(lv).flags(flags)
                .windowLog(longWindow != null ? longWindow : 0).threads(common.threads()).blockSize((int) bs)
                .hash(h).goal(auto ? (fast ? Goal.FAST : max ? Goal.MAX : Goal.DEFAULT) : null).build();
    }

    /**
     * Block boundaries and element types from the header of a safetensors or GGUF file, or {@code null} for any
     * other file. A damaged or hostile header only costs the plan: the bytes are compressed either way.
     */
    static BlockPlan tensorPlan(Path in) {
        if (!java.nio.file.Files.isRegularFile(in)) {
            return null; // reading the header of a pipe would consume it
        }
        try {
            return BlockPlan.fromTensors(TensorHeaders.read(in));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether several files may be compressed overlapping ({@link Overlap}): each into its own {@code FILE.mmh},
     * no two into the same one, none into a file that is another one's input, and no recovery data (whose encoder
     * runs threads of its own).
     */
    boolean mayOverlap(List<String> inputs) {
        return !dest.stdout && dest.output == null && fraction == 0
                && Overlap.independent(inputs, name -> name.endsWith(".mmh") ? null : name + ".mmh");
    }

    /**
     * Compresses one file, reporting to {@code err}.
     *
     * @param pool shared workers, or null for the file's own
     * @param inputEnd to be told when the input has been read to its end (with shared workers), or null
     * @param mayShowProgress whether this file's progress bar may appear now
     */
    private int one(String name, CompressOptions opts, PrintWriter err, WorkerPool pool, Overlap.InputEnd inputEnd,
            BooleanSupplier mayShowProgress) {
        boolean fromStdin = name.equals("-");
        boolean toStdout = dest.stdout || (fromStdin && dest.output == null);
        if (toStdout && Terminal.isTty(1) && !Boolean.getBoolean("mmh.allowTtyOutput")) {
            err.println("mmh: refusing to write compressed data to a terminal (use -o FILE or redirect stdout)");
            return ExitCode.USAGE;
        }
        Path in = fromStdin ? null : Path.of(name);
        if (in != null && dest.output == null && !toStdout && name.endsWith(".mmh")) {
            err.println("mmh: " + name + ": already has the .mmh suffix, skipped");
            return ExitCode.OK;
        }
        Path target = toStdout ? null : dest.output != null ? dest.output : Path.of(name + ".mmh");
        long start = System.nanoTime();
        String label = fromStdin ? "stdin" : name;
        try (InputStream file = fromStdin ? Stdio.in() : Files2.openInput(in);
             Progress progress = new Progress("compress", fromStdin ? -1 : Files2.sizeOrUnknown(in), common.quiet,
                     mayShowProgress)) {
            InputStream is = inputEnd == null ? file : inputEnd.watch(file);
            Summary s;
            BlockPlan plan = in != null && opts.goal() != null ? tensorPlan(in) : null;
            CompressOptions run = opts.toBuilder().pool(pool).progress(progress).plan(plan).build();
            if (toStdout) {
                OutputStream os = Stdio.out();
                s = Mmh.compress(is, os, run);
                os.flush();
            } else {
                try (AtomicOutput out = AtomicOutput.create(target, dest.force)) {
                    s = Mmh.compress(is, out.stream(), run);
                    out.stream().flush();
                    if (fraction > 0) {
                        ArchiveProtection.addRecovery(out.channel(), fraction, opts.threads());
                    }
                    if (dest.remove) {
                        // the input goes only once its archive is known to decode back to it
                        if (opts.encrypted()) {
                            // the keys that open it are not this command's: check everything but the seals
                            dev.mmh.engine.Verifier.Report r = dev.mmh.engine.Verifier.verify(out.tempFile(),
                                    DecompressOptions.builder().threads(opts.threads()).build());
                            if (!r.ok()) {
                                throw new dev.mmh.CorruptDataException("the archive just written does not verify: "
                                        + r.damage().get(0), r.damage().get(0).offset(), r.damage().get(0).block());
                            }
                        } else {
                            try (InputStream check = Files.newInputStream(out.tempFile())) {
                                Mmh.decompress(check, null, DecompressOptions.builder().pool(pool)
                                        .threads(opts.threads()).build());
                            }
                        }
                    }
                    out.commit();
                }
                if (dest.remove && in != null) {
                    Files.delete(in);
                }
            }
            if (!common.quiet && (common.verbose || Terminal.isTty(2))) {
                err.println(Report.line(label, s.rawBytes(), s.archiveBytes(), System.nanoTime() - start,
                        toStdout ? "stdout" : target.toString()));
            }
            return ExitCode.OK;
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, label, e);
        }
    }
}
