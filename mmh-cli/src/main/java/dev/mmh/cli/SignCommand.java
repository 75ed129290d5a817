package dev.mmh.cli;

import dev.mmh.crypto.minisign.Minisign;
import dev.mmh.io.AtomicOutput;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh sign}: a minisign signature {@code FILE.minisig} beside each FILE, or with {@code --embed} inside each
 * archive ({@link dev.mmh.engine.ArchiveSignatures}), with a minisign secret key (asking for its passphrase when it is
 * encrypted). Its command line: {@link Commands#SIGN}.
 */
final class SignCommand implements Callable<Integer> {
    final List<Path> files;
    final Path secretKey;
    final String trustedComment;
    final Path passphraseFile;
    /** --embed: a signature section inside each archive instead of FILE.minisig. */
    final boolean embed;
    final Common common;
    final CommandLine.Model.CommandSpec spec;

    SignCommand(Args a) {
        files = a.params();
        secretKey = a.get(Commands.SECRET_KEY);
        trustedComment = a.get(Commands.TRUSTED_COMMENT);
        passphraseFile = a.get(Commands.PASSPHRASE_FILE);
        embed = Boolean.TRUE.equals(a.get(Commands.EMBED));
        common = new Common(a);
        spec = a.spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Minisign.SecretKey key;
        try {
            Files2.checkInput(secretKey);
            Secrets.warnIfReadable(secretKey, err);
            key = Minisign.readSecretKey(secretKey, () -> {
                try {
                    return Secrets.passphrase(passphraseFile, false, "Passphrase of " + secretKey);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            return Errors.report(err, secretKey.toString(), e.getCause());
        } catch (Exception e) {
            return Errors.report(err, secretKey.toString(), e);
        }
        int status = ExitCode.OK;
        for (Path f : files) {
            try {
                if (embed) {
                    dev.mmh.engine.ArchiveSignatures.Embedded e = dev.mmh.engine.ArchiveSignatures.embed(f, key,
                            trustedComment, common.threads());
                    if (!common.quiet) {
                        out.println(f + ": signed inside by key " + e.keyIdHex() + ", trusted comment: "
                                + e.trustedComment());
                        out.flush();
                    }
                    continue;
                }
                String sig;
                try (InputStream in = Files2.openInput(f)) {
                    sig = Minisign.sign(in, f.getFileName().toString(), key, trustedComment);
                }
                Path target = Path.of(f + ".minisig");
                // minisign replaces an existing signature file; so does mmh, atomically
                try (AtomicOutput o = AtomicOutput.create(target, true)) {
                    o.stream().write(sig.getBytes(StandardCharsets.UTF_8));
                    o.commit();
                }
                if (!common.quiet) {
                    out.println(target);
                    out.flush();
                }
            } catch (Exception e) {
                int s = Errors.report(err, f.toString(), e);
                if (status == ExitCode.OK) {
                    status = s;
                }
            }
        }
        return status;
    }
}
