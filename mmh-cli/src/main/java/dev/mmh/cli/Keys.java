package dev.mmh.cli;

import dev.mmh.crypto.age.AgeHeaderException;
import dev.mmh.crypto.age.AgeKeys;
import dev.mmh.crypto.age.Identity;
import dev.mmh.crypto.age.Recipient;
import dev.mmh.crypto.age.ScryptIdentity;
import dev.mmh.crypto.age.ScryptRecipient;
import dev.mmh.crypto.age.Stanza;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of a command line, read one way for every command: recipients ({@code -r}, {@code -R}, {@code
 * --passphrase}) for {@code encrypt} and {@code compress}, identities ({@code -i}, {@code --passphrase}) for
 * {@code decrypt} and the commands that read archives. A passphrase comes from {@code --passphrase-file}, the
 * {@code MMH_PASSPHRASE} variable or a prompt without echo, never from the command line.
 */
final class Keys {
    private Keys() {
    }

    /**
     * The key options of one command line (each empty or false where the command does not define it).
     *
     * @param recipients {@code -r} values
     * @param recipientFiles {@code -R} values
     * @param identities {@code -i} values
     * @param passphrase {@code --passphrase} or {@code --passphrase-file} was given
     * @param passphraseFile the {@code --passphrase-file}, or {@code null}
     * @param pad {@code --pad}
     */
    record Options(List<String> recipients, List<String> recipientFiles, List<String> identities, boolean passphrase,
            Path passphraseFile, boolean pad) {
        static Options of(Args a) {
            Path file = a.def.has(Commands.PASSPHRASE_FILE) ? a.get(Commands.PASSPHRASE_FILE) : null;
            return new Options(strings(a, Commands.RECIPIENT), strings(a, Commands.RECIPIENTS_FILE),
                    strings(a, Commands.IDENTITY), file != null || a.def.has(Commands.PASSPHRASE)
                    && a.isSet(Commands.PASSPHRASE), file, a.def.has(Commands.PAD) && a.isSet(Commands.PAD));
        }

        private static List<String> strings(Args a, CommandDef.Opt<List<String>> o) {
            return a.def.has(o) ? List.copyOf(a.get(o, List.of())) : List.of();
        }

        /** Whether the command line asks for encryption: a recipient, a recipients file or a passphrase. */
        boolean encrypts() {
            return passphrase || !recipients.isEmpty() || !recipientFiles.isEmpty();
        }

        /** Whether the command line names a key to open archives with: an identity or a passphrase. */
        boolean opens() {
            return passphrase || !identities.isEmpty();
        }
    }

    /** A key, identity or recipients file that cannot be read: reported under its own name ({@link Errors#report}). */
    static final class KeyFileException extends IOException {
        private static final long serialVersionUID = 1L;
        final String file;

        KeyFileException(String file, IOException cause) {
            super(cause.getMessage(), cause);
            this.file = file;
        }
    }

    private static void checkKeyFile(String f) throws KeyFileException {
        try {
            Files2.checkInput(Path.of(f));
        } catch (IOException e) {
            throw new KeyFileException(f, e);
        }
    }

    /** A command line whose keys do not go together: the message, for a usage error (exit 2). */
    static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The recipients the command line names, empty when it names none.
     *
     * @throws Usage a recipient that does not parse, a passphrase with recipients, or post-quantum and classic ones
     */
    static List<Recipient> recipients(Options a) throws Usage, IOException {
        List<Recipient> rs = new ArrayList<>();
        for (String r : a.recipients()) {
            try {
                rs.add(AgeKeys.parseRecipient(r));
            } catch (IllegalArgumentException e) {
                throw new Usage("-r " + r + ": " + e.getMessage());
            }
        }
        for (String f : a.recipientFiles()) {
            checkKeyFile(f);
            rs.addAll(AgeKeys.readRecipients(Path.of(f)));
        }
        Path passphraseFile = a.passphraseFile();
        boolean passphrase = a.passphrase();
        if (passphrase && !rs.isEmpty()) {
            throw new Usage("a passphrase cannot be combined with recipients (age's rule)");
        }
        if (rs.stream().map(Recipient::postQuantum).distinct().count() > 1) {
            throw new Usage("post-quantum (age1pq1) and classic (age1) recipients cannot be mixed (age's rule: the "
                    + "classic one would be the file's weak link)");
        }
        if (passphrase) {
            byte[] p = Secrets.passphrase(passphraseFile, true, "Passphrase");
            try {
                rs.add(ScryptRecipient.measured(p, EncryptCommand.SCRYPT_TARGET_MILLIS));
            } finally {
                Arrays.fill(p, (byte) 0);
            }
        }
        return rs;
    }

    /**
     * The identities the command line names ({@code -i} files, then the passphrase of {@code --passphrase}). With
     * neither, one identity that asks for a passphrase only if an archive turns out to be encrypted with one
     * ({@code MMH_PASSPHRASE} or the terminal), as {@code age -d} does.
     */
    static List<Identity> identities(Options a, PrintWriter err) throws IOException {
        List<Identity> ids = new ArrayList<>();
        for (String f : a.identities()) {
            Path p = Path.of(f);
            checkKeyFile(f);
            Secrets.warnIfReadable(p, err);
            ids.addAll(AgeKeys.readIdentities(p));
        }
        Path passphraseFile = a.passphraseFile();
        if (a.passphrase()) {
            byte[] p = Secrets.passphrase(passphraseFile, false, "Passphrase");
            try {
                ids.add(new ScryptIdentity(p));
            } finally {
                Arrays.fill(p, (byte) 0);
            }
        } else if (ids.isEmpty()) {
            ids.add(new PassphraseWhenAsked());
        }
        return ids;
    }

    /**
     * Runs {@code body}, turning the failure of a passphrase asked for during it (no terminal, no variable) back into
     * the IOException it was.
     */
    static <T> T unwrapped(IoCall<T> body) throws IOException {
        try {
            return body.call();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** An I/O action. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** Asks for the passphrase only when a header has an scrypt stanza. */
    private static final class PassphraseWhenAsked implements Identity {
        @Override
        public byte[] unwrap(List<Stanza> stanzas) throws AgeHeaderException {
            if (stanzas.stream().noneMatch(s -> s.type().equals(ScryptRecipient.TYPE))) {
                return null;
            }
            byte[] p;
            try {
                p = Secrets.passphrase(null, false, "Passphrase");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                byte[] key = new ScryptIdentity(p).unwrap(stanzas);
                if (key == null) {
                    throw new UncheckedIOException(new dev.mmh.crypto.age.AgeAuthException(
                            dev.mmh.crypto.age.AgeAuthException.Kind.NO_MATCH, "wrong passphrase"));
                }
                return key;
            } finally {
                Arrays.fill(p, (byte) 0);
            }
        }
    }
}
