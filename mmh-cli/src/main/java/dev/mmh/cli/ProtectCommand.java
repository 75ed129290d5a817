package dev.mmh.cli;

import dev.mmh.engine.ArchiveProtection;
import dev.mmh.format.Format;
import dev.mmh.format.SeekableArchive;
import dev.mmh.io.AtomicOutput;
import dev.mmh.recovery.RecoveryOptions;
import dev.mmh.recovery.Sidecar;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh protect}: add recovery data to an archive, or a sidecar FILE.mmhr to any other file. Its command line:
 * {@link Commands#PROTECT}.
 */
final class ProtectCommand implements Callable<Integer> {
    final List<Path> files;
    final String recovery;
    final Common common;

    /** Picocli's model of the command. */
    final CommandLine.Model.CommandSpec spec;

    ProtectCommand(Args a) {
        files = a.params();
        recovery = a.get(Commands.SHARE);
        common = new Common(a);
        spec = a.spec;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        double fraction;
        try {
            fraction = Recovery.fraction(recovery);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int status = ExitCode.OK;
        for (Path f : files) {
            try {
                Files2.checkInput(f);
                if (isArchive(f)) {
                    ArchiveProtection.Protected done;
                    // the bar counts what the library reads: a checksum pass over the blocks, then the parity pass
                    try (Progress bar = new Progress("protect", -1, common.quiet);
                            FileChannel ch = new CountingChannel(FileChannel.open(f, StandardOpenOption.READ,
                                    StandardOpenOption.WRITE), bar)) {
                        done = SeekableArchive.isCompact(ch) ? expandAndProtect(f, ch, fraction)
                                : ArchiveProtection.protectInPlace(ch, fraction, common.threads());
                    }
                    say(err, f + (done == ArchiveProtection.Protected.WRITTEN ? ": recovery data added ("
                            + recovery + ")" : ": already holds this recovery data (" + recovery + "); unchanged"));
                } else {
                    try (Progress bar = new Progress("protect", Files.size(f), common.quiet);
                            FileChannel ch = new CountingChannel(FileChannel.open(f), bar)) {
                        Sidecar.protect(ch, Sidecar.pathFor(f), RecoveryOptions.of(fraction)
                                .withThreads(common.threads()));
                    }
                    say(err, f + ": recovery data written to " + Sidecar.pathFor(f));
                }
            } catch (Exception | OutOfMemoryError e) {
                int s = Errors.report(err, f.toString(), e);
                status = status == ExitCode.OK ? s : status;
            }
        }
        return status;
    }

    /**
     * A compact archive (one block, no index) has no room for a recovery section: it is rewritten in the full
     * layout with the section, into a temporary file that replaces it only when complete.
     */
    private ArchiveProtection.Protected expandAndProtect(Path f, FileChannel ch, double fraction)
            throws java.io.IOException {
        try (AtomicOutput out = AtomicOutput.create(f, true)) {
            ArchiveProtection.expand(ch, out.channel(), common.threads());
            ArchiveProtection.addRecovery(out.channel(), fraction, common.threads());
            try {
                Files.setPosixFilePermissions(out.tempFile(), Files.getPosixFilePermissions(f));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the new file keeps the default permissions
            }
            out.commit();
        }
        return ArchiveProtection.Protected.WRITTEN;
    }

    private void say(PrintWriter err, String line) {
        if (!common.quiet) {
            err.println(line);
            err.flush();
        }
    }

    static boolean isArchive(Path f) throws java.io.IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] m = in.readNBytes(Format.MAGIC.length);
            return Arrays.equals(m, Format.MAGIC);
        }
    }
}
