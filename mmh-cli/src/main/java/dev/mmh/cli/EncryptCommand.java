package dev.mmh.cli;

import dev.mmh.crypto.age.Age;
import dev.mmh.crypto.age.Recipient;
import dev.mmh.io.AtomicOutput;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh encrypt}: a standard age file (binary, or armored with {@code -a}) for recipients, recipients files or a
 * passphrase, its 64 KiB chunks sealed on every core. Its command line: {@link Commands#ENCRYPT}.
 */
final class EncryptCommand implements Callable<Integer> {
    /** How long the passphrase's scrypt may take on this machine (age aims at about a second). */
    static final long SCRYPT_TARGET_MILLIS = 1000;

    final boolean armor;
    final Path output;
    final boolean force;
    final String input;
    final Common common;
    final CommandLine.Model.CommandSpec spec;
    final Keys.Options keys;
    /** Where errors go when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    final PrintWriter err;

    EncryptCommand(Args a) {
        keys = Keys.Options.of(a);
        armor = a.isSet(Commands.ARMOR);
        output = a.get(Commands.OUTPUT);
        force = a.isSet(Commands.FORCE);
        List<String> p = a.params();
        input = p == null || p.isEmpty() ? "-" : p.get(0);
        common = new Common(a);
        spec = a.spec;
        err = a.err;
    }

    @Override
    public Integer call() {
        PrintWriter err = this.err != null ? this.err : spec.commandLine().getErr();
        String name = input.equals("-") ? "stdin" : input;
        try {
            if (!keys.encrypts()) {
                err.println("mmh: encrypt: give -r RECIPIENT, -R FILE or --passphrase");
                return ExitCode.USAGE;
            }
            Path in = input.equals("-") ? null : Path.of(input);
            if (in != null) {
                Files2.checkInput(in);
            }
            Path target = output != null ? output : in != null ? Path.of(input + ".age") : Path.of("-");
            if (target.toString().equals("-") && Terminal.isTty(1) && !armor
                    && !Boolean.getBoolean("mmh.allowTtyOutput")) {
                err.println("mmh: encrypt: refusing to write binary age data to a terminal (use -a, or -o FILE)");
                return ExitCode.USAGE;
            }
            List<Recipient> rs;
            try {
                rs = Keys.recipients(keys);
            } catch (Keys.Usage e) {
                err.println("mmh: encrypt: " + e.getMessage());
                return ExitCode.USAGE;
            }
            try (ReadableByteChannel src = in == null ? Stdio.inChannel() : FileChannel.open(in)) {
                if (target.toString().equals("-")) {
                    WritableByteChannel o = Stdio.outChannel();
                    Age.encrypt(src, o, rs, armor, common.threads());
                } else {
                    try (AtomicOutput o = AtomicOutput.create(target, force)) {
                        Age.encrypt(src, o.writer(), rs, armor, common.threads());
                        o.commit();
                    }
                }
            }
            return ExitCode.OK;
        } catch (Exception | OutOfMemoryError e) {
            return Errors.report(err, name, e);
        }
    }

}
