package dev.mmh.cli;

import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Examination;
import dev.mmh.engine.Verifier;
import dev.mmh.format.Format;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code mmh verify}: checks archives and reports every damaged block. Its command line: {@link Commands#VERIFY}. */
final class VerifyCommand implements Callable<Integer> {
    final List<Path> files;
    final Common common;
    /** The minisign public key (a key file or an {@code RWQ...} string) of --signed-by, or null. */
    final String signedBy;

    /** Picocli's model of the command when picocli runs it, else {@code null}. */
    final CommandLine.Model.CommandSpec spec;

    /** The streams when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    final PrintWriter out;
    final PrintWriter err;
    final Keys.Options keys;

    VerifyCommand(Args a) {
        keys = Keys.Options.of(a);
        files = a.params();
        common = new Common(a);
        signedBy = a.get(Commands.SIGNED_BY);
        spec = a.spec;
        out = a.out;
        err = a.err;
    }

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
        boolean inside = false;
        if (signedBy != null) {
            if (java.nio.file.Files.exists(Path.of(f + ".minisig")) || !isArchive(f)) {
                int s = signature(f, out, err);
                if (s != ExitCode.OK || !isArchive(f)) {
                    return s;
                }
            } else {
                inside = true; // no FILE.minisig: the archive's own signatures, once its blocks check out
            }
        }
        int s = check(f, out, err);
        return inside && s == ExitCode.OK ? signatureInside(f, out, err) : s;
    }

    /**
     * Checks the signatures inside the archive {@code f} against the key of --signed-by: after {@link #check}, so
     * the blocks are known to give the content ID that the signatures cover.
     */
    private int signatureInside(Path f, PrintWriter out, PrintWriter err) {
        try (dev.mmh.format.SeekableArchive a = dev.mmh.format.SeekableArchive.open(f)) {
            dev.mmh.crypto.minisign.Minisign.PublicKey key = dev.mmh.crypto.minisign.Minisign.readPublicKey(signedBy);
            dev.mmh.crypto.minisign.Minisign.Verified v = dev.mmh.engine.ArchiveSignatures.verify(a, key,
                    f.toString());
            if (!common.quiet) {
                out.printf("%s: signature inside OK, key %s, trusted comment: %s%n", f, v.keyId(), v.trustedComment());
                out.flush();
            }
            return ExitCode.OK;
        } catch (Exception e) {
            return Errors.report(err, f.toString(), e);
        }
    }

    /** Verifies the archive {@code f}: blocks, index, content ID and recovery data. */
    private int check(Path f, PrintWriter out, PrintWriter err) {
        try {
            Files2.checkInput(f);
            Verifier.Report r;
            try (Progress p = new Progress("verify", -1, common.quiet)) {
                // without -i or a passphrase an encrypted archive's checksums are checked, not its seals
                java.util.List<dev.mmh.crypto.age.Identity> ids = keys.opens() ? Keys.identities(keys, err)
                        : java.util.List.of();
                r = Keys.unwrapped(() -> Verifier.verify(f, DecompressOptions.builder().threads(common.threads())
                        .progress(p).identities(ids).build()));
                if (r.ok() && !ids.isEmpty() && Folders.isFolderArchive(f)) {
                    // the sealed manifest and blob tables, and the end of the archive the manifest names
                    Keys.unwrapped(() -> Folders.openSealed(f, ids));
                }
            } catch (dev.mmh.CorruptDataException | dev.mmh.NotMmhFormatException e) {
                // the header or the whole structure is unreadable: recovery data may still rebuild it
                Examination x = examine(f);
                if (x != null && x.hasRecovery()) {
                    err.println("mmh: " + f + ": " + Errors.describe(e));
                    return verdict(f, x, err);
                }
                throw e;
            }
            Examination x = examine(f);
            if (r.ok() && (x == null || !x.hasRecovery() || x.clean())) {
                if (!common.quiet) {
                    out.printf("%s: OK, %d blocks, %,d bytes, content ID %s%s%s%n", f, r.blocks(), r.rawBytes(),
                            Format.hex(r.contentId()), x != null && x.hasRecovery() ? ", recovery data intact" : "",
                            !encrypted(f) ? "" : keys.opens() ? ", encrypted: every block authenticated"
                                    : ", encrypted: checksums only (give -i or --passphrase to authenticate)");
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

    /** Whether {@code f}'s header says it is an encrypted archive. */
    private static boolean encrypted(Path f) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            byte[] h = new byte[Format.MAX_HEADER_SIZE];
            int n = dev.mmh.io.Positional.read(ch, h, 0, h.length);
            return dev.mmh.format.FileHeader.parse(h, Math.max(n, 0)).encrypted();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean isArchive(Path f) {
        try {
            return ProtectCommand.isArchive(f);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Checks {@code f} against its signature {@code f.minisig} and the key of --signed-by. */
    private int signature(Path f, PrintWriter out, PrintWriter err) {
        Path sig = Path.of(f + ".minisig");
        try {
            Files2.checkInput(f);
            dev.mmh.crypto.minisign.Minisign.PublicKey key = dev.mmh.crypto.minisign.Minisign.readPublicKey(signedBy);
            if (!java.nio.file.Files.exists(sig)) {
                throw new dev.mmh.AuthenticationFailedException("no signature: no " + sig + " beside it"
                        + (isArchive(f) ? "" : " (and it is not an mmh archive, which could hold one)"));
            }
            Files2.checkInput(sig);
            if (java.nio.file.Files.size(sig) > 1 << 16) {
                throw new dev.mmh.CorruptDataException(sig + ": too long for a signature file", -1, -1);
            }
            String text = java.nio.file.Files.readString(sig, java.nio.charset.StandardCharsets.UTF_8);
            dev.mmh.crypto.minisign.Minisign.Verified v;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(f)) {
                v = dev.mmh.crypto.minisign.Minisign.verify(in, text, key, sig.toString());
            }
            if (!common.quiet) {
                out.printf("%s: signature OK, key %s, trusted comment: %s%n", f, v.keyId(), v.trustedComment());
                out.flush();
            }
            return ExitCode.OK;
        } catch (Exception e) {
            return Errors.report(err, f.toString(), e);
        }
    }

    private int verdict(Path f, Examination x, PrintWriter err) {
        if (x.repairable()) {
            String tail = x.tailDamaged() ? "index or footer damaged (rebuilt from the blocks on repair)" : "";
            String rest = x.report().clean() ? "" : x.report().summary();
            err.println("mmh: " + f + ": damaged, repairable (run mmh repair): " + tail
                    + (tail.isEmpty() || rest.isEmpty() ? "" : "; ") + rest);
            err.flush();
            return ExitCode.REPAIRABLE;
        }
        err.println("mmh: " + f + ": damaged, not repairable: " + x.report().summary());
        err.flush();
        return ExitCode.DAMAGED;
    }

    /** The recovery verdict, or null if the file cannot be examined. */
    private Examination examine(Path f) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            return Examination.examine(ch, common.threads());
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
