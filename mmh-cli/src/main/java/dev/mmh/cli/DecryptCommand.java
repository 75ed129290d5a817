package dev.mmh.cli;

import dev.mmh.crypto.age.Age;
import dev.mmh.crypto.age.Identity;
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
 * {@code mmh decrypt}: an age file (binary or armored) with identity files or a passphrase, its chunks opened on
 * every core. To a file, the plaintext goes to a temporary file that is renamed only after the last chunk
 * authenticated: a wrong key, an altered byte or a truncation leaves no output. Its command line:
 * {@link Commands#DECRYPT}.
 */
final class DecryptCommand implements Callable<Integer> {
    final Path output;
    final boolean force;
    final String input;
    final Common common;
    final CommandLine.Model.CommandSpec spec;
    final Keys.Options keys;
    /** Where errors go when {@link QuickArgs} runs the command (no picocli spec), else {@code null}. */
    final PrintWriter err;

    DecryptCommand(Args a) {
        keys = Keys.Options.of(a);
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
            if (keys.passphrase() == !keys.identities().isEmpty()) {
                err.println("mmh: decrypt: give -i IDENTITY (one or more) or --passphrase");
                return ExitCode.USAGE;
            }
            Path in = input.equals("-") ? null : Path.of(input);
            Path target = output;
            if (target == null) {
                if (in == null) {
                    target = Path.of("-");
                } else if (input.endsWith(".age") && input.length() > 4) {
                    target = Path.of(input.substring(0, input.length() - 4));
                } else {
                    err.println("mmh: decrypt: " + input + " does not end in .age: give -o OUT");
                    return ExitCode.USAGE;
                }
            }
            if (in != null) {
                Files2.checkInput(in);
            }
            List<Identity> ids = Keys.identities(keys, err);
            try (ReadableByteChannel src = in == null ? Stdio.inChannel() : FileChannel.open(in)) {
                if (target.toString().equals("-")) {
                    WritableByteChannel o = Stdio.outChannel();
                    Age.decrypt(src, o, ids, common.threads());
                } else {
                    try (AtomicOutput o = AtomicOutput.create(target, force)) {
                        Age.decrypt(src, o.writer(), ids, common.threads());
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
