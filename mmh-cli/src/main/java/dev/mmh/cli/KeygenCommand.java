package dev.mmh.cli;

import dev.mmh.crypto.age.AgeKeys;
import dev.mmh.crypto.age.HybridIdentity;
import dev.mmh.crypto.age.X25519Identity;
import dev.mmh.crypto.minisign.Minisign;
import dev.mmh.io.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh keygen}: an age identity (X25519, or with {@code --pq} the post-quantum hybrid) written as
 * {@code age-keygen} writes it, or with {@code --sign} a minisign key pair. Its command line: {@link Commands#KEYGEN}.
 */
final class KeygenCommand implements Callable<Integer> {
    final boolean pq;
    final boolean sign;
    final Path output;
    final boolean force;
    final boolean passphrase;
    final Path passphraseFile;
    final CommandLine.Model.CommandSpec spec;

    KeygenCommand(Args a) {
        pq = a.isSet(Commands.PQ);
        sign = a.isSet(Commands.SIGN_KEYS);
        output = a.get(Commands.OUTPUT);
        force = a.isSet(Commands.FORCE);
        passphrase = a.isSet(Commands.PASSPHRASE) || a.get(Commands.PASSPHRASE_FILE) != null;
        passphraseFile = a.get(Commands.PASSPHRASE_FILE);
        spec = a.spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (sign) {
                return minisign(out, err);
            }
            if (passphrase) {
                err.println("mmh: keygen: --passphrase protects --sign keys only (age identity files are plain text, "
                        + "as age-keygen writes them)");
                return ExitCode.USAGE;
            }
            String file;
            String recipient;
            if (pq) {
                HybridIdentity id = HybridIdentity.generate();
                file = AgeKeys.identityFile(id);
                recipient = id.recipient().toString();
            } else {
                X25519Identity id = X25519Identity.generate();
                file = AgeKeys.identityFile(id);
                recipient = id.recipient().toString();
            }
            if (output == null || output.toString().equals("-")) {
                Stdio.out().write(file.getBytes(StandardCharsets.US_ASCII));
                Stdio.out().flush();
                err.println("Public key: " + recipient);
                err.flush();
            } else {
                writeSecret(output, file);
                out.println(recipient);
                out.flush();
            }
            return ExitCode.OK;
        } catch (Exception e) {
            return Errors.report(err, "keygen", e);
        }
    }

    private int minisign(PrintWriter out, PrintWriter err) throws IOException {
        if (pq) {
            err.println("mmh: keygen: --pq makes age identities; --sign makes a minisign key pair");
            return ExitCode.USAGE;
        }
        if (output == null || output.toString().equals("-")) {
            err.println("mmh: keygen: --sign needs -o KEY (the secret key; the public key goes to KEY.pub)");
            return ExitCode.USAGE;
        }
        Minisign.SecretKey k = Minisign.generate();
        byte[] p = passphrase ? Secrets.passphrase(passphraseFile, true, "Passphrase for the secret key") : null;
        String secret = Minisign.secretKeyFile(k, p);
        if (p != null) {
            Arrays.fill(p, (byte) 0);
        }
        Path pub = Path.of(output + ".pub");
        if (!force && java.nio.file.Files.exists(pub)) {
            throw new java.nio.file.FileAlreadyExistsException(pub.toString(), null,
                    "already exists (use -f to overwrite)");
        }
        writeSecret(output, secret);
        try (AtomicOutput o = AtomicOutput.create(pub, force)) {
            o.stream().write(k.publicKeyOf().file().getBytes(StandardCharsets.US_ASCII));
            o.commit();
        }
        out.println(k.publicKeyOf().encode());
        out.flush();
        return ExitCode.OK;
    }

    /** Writes {@code text} to {@code f} atomically, readable by its owner only from the first byte. */
    private void writeSecret(Path f, String text) throws IOException {
        try (AtomicOutput o = AtomicOutput.create(f, force)) {
            if (!AtomicOutput.isDeviceOrPipe(f.toAbsolutePath())) {
                Secrets.ownerOnly(o.tempFile());
            }
            o.stream().write(text.getBytes(StandardCharsets.US_ASCII));
            o.commit();
        }
    }
}
