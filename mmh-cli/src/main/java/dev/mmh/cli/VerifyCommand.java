package dev.mmh.cli;

import dev.mmh.engine.ArchiveRecovery;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Verifier;
import dev.mmh.format.Format;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mmh verify}: checks archives and reports every damaged block. */
@Command(name = "verify", aliases = {"t", "test"}, sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Check every block, the index and the content ID of FILE.mmh archives without writing anything.",
            "Each damaged block is reported with its number and offset."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Archives to verify.")
    List<Path> files;

    @Mixin
    Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The streams when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    PrintWriter out;
    PrintWriter err;

    @Override
    public Integer call() {
        PrintWriter out = this.out != null ? this.out : spec.commandLine().getOut();
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        int status = ExitCode.OK;
        for (Path f : files) {
            int s = one(f, out, err);
            if (status == ExitCode.OK) {
                status = s;
            }
        }
        return status;
    }

    private int one(Path f, PrintWriter out, PrintWriter err) {
        try {
            Files2.checkInput(f);
            Verifier.Report r;
            try (Progress p = new Progress("verify", -1, common.quiet)) {
                r = Verifier.verify(f, DecompressOptions.builder().threads(common.threads()).progress(p).build());
            } catch (dev.mmh.CorruptDataException | dev.mmh.NotMmhFormatException e) {
                // the header or the whole structure is unreadable: recovery data may still rebuild it
                ArchiveRecovery.Examination x = examine(f);
                if (x != null && x.hasRecovery()) {
                    err.println("mmh: " + f + ": " + Errors.describe(e));
                    return verdict(f, x, err);
                }
                throw e;
            }
            ArchiveRecovery.Examination x = examine(f);
            if (r.ok() && (x == null || !x.hasRecovery() || x.clean())) {
                if (!common.quiet) {
                    out.printf("%s: OK, %d blocks, %,d bytes, content ID %s%s%n", f, r.blocks(), r.rawBytes(),
                            Format.hex(r.contentId()), x != null && x.hasRecovery() ? ", recovery data intact" : "");
                }
                return ExitCode.OK;
            }
            for (Verifier.Damage d : r.damage()) {
                err.println("mmh: " + f + ": " + d.what());
            }
            long bad = r.damage().stream().filter(d -> d.block() >= 0).count();
            if (!r.ok()) {
                err.printf("mmh: %s: %d damaged block%s of %d found, %d other damaged structure%s%n", f, bad,
                        bad == 1 ? "" : "s", r.blocks(), r.damage().size() - bad,
                        r.damage().size() - bad == 1 ? "" : "s");
            }
            if (x == null || !x.hasRecovery()) {
                err.println("mmh: " + f + ": damaged, not repairable (no recovery data)");
                return ExitCode.DAMAGED;
            }
            return verdict(f, x, err);
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, f.toString(), e);
        }
    }

    private int verdict(Path f, ArchiveRecovery.Examination x, PrintWriter err) {
        if (x.repairable()) {
            err.println("mmh: " + f + ": damaged, repairable (run mmh repair): " + x.report().summary()
                    + (x.tailDamaged() ? "; index or footer damaged (rebuilt from the blocks on repair)" : ""));
            err.flush();
            return ExitCode.REPAIRABLE;
        }
        err.println("mmh: " + f + ": damaged, not repairable: " + x.report().summary());
        err.flush();
        return ExitCode.DAMAGED;
    }

    /** The recovery verdict, or null if the file cannot be examined. */
    private ArchiveRecovery.Examination examine(Path f) {
        try (java.nio.channels.FileChannel ch = ArchiveRecovery.open(f)) {
            return ArchiveRecovery.examine(ch, common.threads());
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
