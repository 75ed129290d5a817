package dev.mmh.cli;

import dev.mmh.engine.Examination;
import dev.mmh.io.AtomicOutput;
import dev.mmh.recovery.DamageReport;
import dev.mmh.recovery.Repairer;
import dev.mmh.recovery.Sidecar;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh repair}: rebuild damaged bytes of an archive (or of a file with a sidecar) from recovery data. Its
 * command line: {@link Commands#REPAIR}.
 */
final class RepairCommand implements Callable<Integer> {
    final Path file;
    final Path output;
    final boolean force;
    final Common common;

    /** Picocli's model of the command when picocli runs it, else {@code null}. */
    final CommandLine.Model.CommandSpec spec;

    /** The streams when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    final PrintWriter out;
    final PrintWriter err;

    RepairCommand(Args a) {
        file = a.param();
        output = a.get(Commands.REPAIRED);
        force = a.isSet(Commands.OVERWRITE);
        common = new Common(a);
        spec = a.spec;
        out = a.out;
        err = a.err;
    }

    @Override
    public Integer call() {
        PrintWriter out = this.out != null ? this.out : spec.commandLine().getOut();
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        try {
            Files2.checkInput(file);
            if (output != null && !force && Files.exists(output)) {
                throw new FileAlreadyExistsException(output.toString(), null, "already exists (use -f to overwrite)");
            }
            Path target = output != null ? output : file;
            Path sidecar = Sidecar.pathFor(file);
            if (Files.exists(sidecar) && !ProtectCommand.isArchive(file)) {
                return sidecar(sidecar, target, out, err);
            }
            Examination e;
            List<String> lines;
            String how;
            // in place (no -o): open for writing too, so that only the damaged bytes are written
            try (Progress bar = new Progress("repair", -1, common.quiet);
                    FileChannel in = new CountingChannel(output == null ? FileChannel.open(file,
                            StandardOpenOption.READ, StandardOpenOption.WRITE) : FileChannel.open(file), bar)) {
                e = Examination.examine(in, common.threads());
                if (!e.hasRecovery()) {
                    bar.close();
                    err.println("mmh: " + file + ": has no recovery data (add it with mmh protect or compress "
                            + "--recovery); nothing changed");
                    return ExitCode.DAMAGED;
                }
                if (e.clean()) {
                    if (output != null) {
                        copy(output);
                    }
                    bar.close();
                    say(out, file + ": no damage found");
                    return ExitCode.OK;
                }
                if (!e.repairable()) {
                    bar.close();
                    return notRepairable(e.report(), err);
                }
                lines = output == null ? Recovery.repairInPlace(in, e, common.threads()) : null;
                how = ", verified (digest of every protected byte; repaired blocks decoded and checked)";
                if (lines == null) {
                    try (AtomicOutput o = AtomicOutput.create(target, output == null || force)) {
                        lines = Recovery.repairInto(in, e, o, common.threads());
                        o.commit();
                    }
                    how = ", verified end to end (every block decoded, content ID)";
                }
            }
            for (String l : lines) {
                say(out, file + ": " + l);
            }
            say(out, file + ": repaired" + (output != null ? " into " + output : " in place") + how);
            return ExitCode.OK;
        } catch (Exception | OutOfMemoryError ex) {
            return Errors.report(err, file.toString(), ex);
        }
    }

    private int sidecar(Path sidecar, Path target, PrintWriter out, PrintWriter err) throws java.io.IOException {
        Repairer.Result res;
        try (Progress bar = new Progress("repair", -1, common.quiet);
                FileChannel data = new CountingChannel(FileChannel.open(file), bar)) {
            DamageReport r = Sidecar.scan(data, sidecar, common.threads());
            if (r.clean()) {
                if (output != null) {
                    copy(output);
                }
                bar.close();
                say(out, file + ": no damage found (checked against " + sidecar + ")");
                return ExitCode.OK;
            }
            if (!r.repairable()) {
                bar.close();
                return notRepairable(r, err);
            }
            res = Sidecar.repair(data, file, sidecar, target, output == null || force, common.threads());
        }
        say(out, String.format(Locale.ROOT, "%s: repaired %,d bytes in %d shards from %s", file,
                res.repairedBytes(), res.repairedShards(), sidecar));
        return ExitCode.OK;
    }

    /**
     * An intact file asked for with -o: copied there through {@link AtomicOutput}, like every output (whole or not at
     * all; an existing OUT replaced only with -f, not even one created while copying).
     */
    private void copy(Path to) throws java.io.IOException {
        try (AtomicOutput o = AtomicOutput.create(to, force)) {
            Files.copy(file, o.stream());
            o.commit();
        }
    }

    private int notRepairable(DamageReport r, PrintWriter err) {
        err.println("mmh: " + file + ": damaged beyond what the recovery data can repair: " + r.summary()
                + "; nothing changed");
        err.flush();
        return ExitCode.DAMAGED;
    }

    private void say(PrintWriter out, String line) {
        if (!common.quiet) {
            out.println(line);
            out.flush();
        }
    }
}
