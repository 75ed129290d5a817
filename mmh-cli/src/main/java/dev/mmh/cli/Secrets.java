package dev.mmh.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Passphrases and key files for the crypto commands. A passphrase comes from {@code --passphrase-file F} (its first
 * line), else the environment variable {@code MMH_PASSPHRASE}, else a prompt on the terminal ({@code /dev/tty}, with
 * echo off), never from the command line; it is kept as bytes (UTF-8) and never printed.
 */
final class Secrets {
    /** The environment variable a passphrase may come from. */
    static final String ENV = "MMH_PASSPHRASE";
    private static final long MAX_PASSPHRASE_FILE = 1 << 16;

    private Secrets() {
    }

    /**
     * The passphrase, from {@code file}, {@link #ENV} or a prompt (asked twice when {@code confirm}).
     *
     * @throws IOException no source: not a terminal and neither a file nor the variable; or an empty passphrase
     */
    static byte[] passphrase(Path file, boolean confirm, String prompt) throws IOException {
        byte[] p;
        if (file != null) {
            Files2.checkInput(file);
            if (Files.size(file) > MAX_PASSPHRASE_FILE) {
                throw new IOException(file + ": too long for a passphrase file");
            }
            byte[] all = Files.readAllBytes(file);
            int end = 0;
            while (end < all.length && all[end] != '\n' && all[end] != '\r') {
                end++;
            }
            p = Arrays.copyOf(all, end);
            Arrays.fill(all, (byte) 0);
        } else if (System.getenv(ENV) != null) {
            p = System.getenv(ENV).getBytes(StandardCharsets.UTF_8);
        } else {
            p = prompt(prompt);
            if (confirm) {
                byte[] again = prompt("Confirm " + Character.toLowerCase(prompt.charAt(0)) + prompt.substring(1));
                boolean same = Arrays.equals(p, again);
                Arrays.fill(again, (byte) 0);
                if (!same) {
                    throw new IOException("the passphrases do not match");
                }
            }
        }
        if (p.length == 0) {
            throw new IOException("empty passphrase");
        }
        return p;
    }

    /** Reads a line from the terminal with echo off. */
    private static byte[] prompt(String prompt) throws IOException {
        Path tty = Path.of("/dev/tty");
        if (!Files.isReadable(tty)) {
            throw new IOException("no passphrase: not on a terminal; use --passphrase-file FILE or " + ENV);
        }
        try (InputStream in = Files.newInputStream(tty); OutputStream out = Files.newOutputStream(tty)) {
            out.write((prompt + ": ").getBytes(StandardCharsets.UTF_8));
            out.flush();
            stty("-echo");
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                int c;
                while ((c = in.read()) >= 0 && c != '\n' && c != '\r') {
                    b.write(c);
                }
            } finally {
                stty("echo");
                out.write('\n');
            }
            return b.toByteArray();
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException("no passphrase: no terminal to ask on; use --passphrase-file FILE or " + ENV);
        }
    }

    private static void stty(String mode) {
        try {
            new ProcessBuilder("stty", mode).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            // no stty: the prompt still works, with echo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Warns on {@code err} when the key file {@code f} can be read by its group or others. */
    static void warnIfReadable(Path f, PrintWriter err) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("mmh: warning: " + f + ": the key file can be read by other users (chmod 600 " + f + ")");
                err.flush();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to say
        }
    }

    /** Makes {@code f} readable and writable by its owner only (before a secret is written to it). */
    static void ownerOnly(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
